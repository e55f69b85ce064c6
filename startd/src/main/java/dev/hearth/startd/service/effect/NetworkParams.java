package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.ServiceInterface;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The params and results of the networking effects (container-runtime.md §2.7, {@code net/}). */
public final class NetworkParams {
  private NetworkParams() {}

  /** The most ports one {@code bind-range} may take. */
  static final int MAX_RANGE = 500;

  /** {@code preferredExternalPort} absent: the internal port. */
  public record Bind(
      String id,
      Integer internalPort,
      @Nullable Integer preferredExternalPort,
      BindInfo.@Nullable AddSsl addSsl,
      BindInfo.@Nullable Security secure) {
    public Bind {
      Check.id("id", id);
      Check.port("internalPort", internalPort);
      Check.optPort("preferredExternalPort", preferredExternalPort);
      if (addSsl != null) {
        Check.port("addSsl.preferredExternalPort", addSsl.preferredExternalPort());
      }
    }
  }

  public record BindRange(
      String id, Integer internalStartPort, Integer externalStartPort, Integer numberOfPorts) {
    public BindRange {
      Check.id("id", id);
      Check.port("internalStartPort", internalStartPort);
      Check.port("externalStartPort", externalStartPort);
      Check.present("numberOfPorts", numberOfPorts);
      if (numberOfPorts < 2
          || numberOfPorts > MAX_RANGE
          || internalStartPort + numberOfPorts - 1 > 65535
          || externalStartPort + numberOfPorts - 1 > 65535) {
        throw new IllegalArgumentException(
            "numberOfPorts: a range has 2 to " + MAX_RANGE + " ports within 1-65535");
      }
    }
  }

  public record BindingId(String id, Integer internalPort) {
    public BindingId {
      Check.id("id", id);
      Check.port("internalPort", internalPort);
    }
  }

  public record ClearBindings(List<BindingId> except) {
    public ClearBindings {
      except = Check.list("except", except);
    }
  }

  public record PortForwardQuery(@Nullable String packageId, String hostId, Integer internalPort) {
    public PortForwardQuery {
      Check.optPackageId("packageId", packageId);
      Check.id("hostId", hostId);
      Check.port("internalPort", internalPort);
    }
  }

  public record PortForward(@Nullable Integer assignedPort, @Nullable Integer assignedSslPort) {}

  public record HostInfoQuery(String hostId, @Nullable String packageId, @Nullable Long callback) {
    public HostInfoQuery {
      Check.id("hostId", hostId);
      Check.optPackageId("packageId", packageId);
    }
  }

  public record ExportInterface(
      String id,
      String name,
      @Nullable String description,
      @Nullable Boolean masked,
      ServiceInterface.AddressInfo addressInfo,
      ServiceInterface.Type type) {
    public ExportInterface {
      Check.id("id", id);
      Check.text("name", name);
      Check.optText("description", description);
      Check.present("addressInfo", addressInfo);
      Check.id("addressInfo.hostId", addressInfo.hostId());
      Check.port("addressInfo.internalPort", addressInfo.internalPort());
      Check.optText("addressInfo.username", addressInfo.username());
      Check.optText("addressInfo.scheme", addressInfo.scheme());
      Check.optText("addressInfo.sslScheme", addressInfo.sslScheme());
      Check.optText("addressInfo.suffix", addressInfo.suffix());
      Check.present("type", type);
    }

    ServiceInterface toInterface() {
      return new ServiceInterface(
          id,
          name,
          description == null ? "" : description,
          Boolean.TRUE.equals(masked),
          addressInfo,
          type);
    }
  }

  public record ExportRangeInterface(
      String hostId,
      Integer internalStartPort,
      String id,
      String name,
      @Nullable String description,
      @Nullable String scheme) {
    public ExportRangeInterface {
      Check.id("hostId", hostId);
      Check.port("internalStartPort", internalStartPort);
      Check.id("id", id);
      Check.text("name", name);
      Check.optText("description", description);
      Check.optText("scheme", scheme);
    }
  }

  public record InterfaceQuery(
      @Nullable String packageId, String serviceInterfaceId, @Nullable Long callback) {
    public InterfaceQuery {
      Check.optPackageId("packageId", packageId);
      Check.id("serviceInterfaceId", serviceInterfaceId);
    }
  }

  public record ClearInterfaces(List<String> except) {
    public ClearInterfaces {
      except = Check.ids("except", except);
    }
  }

  public enum Algorithm {
    @JsonProperty("ecdsa")
    ECDSA,
    @JsonProperty("ed25519")
    ED25519
  }

  public record Certificate(
      List<String> hostnames, @Nullable Algorithm algorithm, @Nullable Long callback) {
    public Certificate {
      hostnames = Check.texts("hostnames", hostnames);
      if (hostnames.isEmpty()) {
        throw new IllegalArgumentException("hostnames: give at least one hostname");
      }
    }
  }

  /** {@code tableAction}: the plugin's own ("any" to us). */
  public record RegisterUrlPlugin(@Nullable JsonNode tableAction) {}

  /** The URL plugin's other effects: only the plugin check applies until URL plugins are served. */
  public record UrlPluginCall() {}
}
