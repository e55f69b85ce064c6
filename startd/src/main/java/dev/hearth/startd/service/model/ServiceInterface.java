package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An interface a package exports on one of its bindings ({@code
 * hosts.<hostId>.bindings.<port>.interfaces.<id>}, patchdb.md §7.1).
 */
public record ServiceInterface(
    String id,
    String name,
    String description,
    boolean masked,
    AddressInfo addressInfo,
    Type type) {

  public ServiceInterface {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(addressInfo, "addressInfo");
    Objects.requireNonNull(type, "type");
  }

  public enum Type {
    @JsonProperty("ui")
    UI,
    @JsonProperty("p2p")
    P2P,
    @JsonProperty("api")
    API
  }

  /** Which binding the interface is on, and how to write its URL. */
  public record AddressInfo(
      @Nullable String username,
      String hostId,
      int internalPort,
      @Nullable String scheme,
      @Nullable String sslScheme,
      String suffix) {
    public AddressInfo {
      Objects.requireNonNull(hostId, "hostId");
      suffix = suffix == null ? "" : suffix;
    }
  }
}
