package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One single-port binding of a host ({@code bindings.<internalPort>}, patchdb.md §7.1): how the
 * package asked for it, the ports it got, where it can be reached, and the interfaces exported on
 * it.
 */
public record BindInfo(
    boolean enabled,
    Options options,
    Net net,
    Addresses addresses,
    Map<String, ServiceInterface> interfaces) {

  public BindInfo {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(addresses, "addresses");
    interfaces = Host.copy(interfaces);
  }

  /** What {@code bind} asked for. */
  public record Options(
      int preferredExternalPort, @Nullable AddSsl addSsl, @Nullable Security secure) {}

  /**
   * TLS termination the package asked for. {@code alpn} ({@code "reflect" | {specified: […]}}) and
   * {@code auth} are kept as sent until the proxy terminates TLS; keys the SDK adds beyond the spec
   * (such as {@code scheme}) are not stored, as upstream does not store them.
   */
  public record AddSsl(
      int preferredExternalPort,
      boolean addXForwardedHeaders,
      @Nullable JsonNode alpn,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable JsonNode upstreamCertValidation,
      @Nullable JsonNode auth) {
    public AddSsl {
      if (alpn != null && alpn.isNull()) {
        alpn = null;
      }
      if (alpn != null
          && !(alpn.isTextual() && alpn.asText().equals("reflect"))
          && !(alpn.isObject() && alpn.path("specified").isArray())) {
        throw new IllegalArgumentException(
            "alpn must be \"reflect\" or {specified: [...]}, not " + alpn);
      }
      if (auth != null && auth.isNull()) {
        auth = null;
      }
      if (upstreamCertValidation != null && upstreamCertValidation.isNull()) {
        upstreamCertValidation = null;
      }
    }
  }

  public record Security(boolean ssl) {}

  /** The external ports assigned (TLS termination, and so {@code assignedSslPort}, comes later). */
  public record Net(@Nullable Integer assignedPort, @Nullable Integer assignedSslPort) {}

  /** An address the user disabled: {@code [host, port]}. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"host", "port"})
  public record HostPort(String host, int port) {}

  public enum GuaAccess {
    @JsonProperty("disabled")
    DISABLED,
    @JsonProperty("lan")
    LAN,
    @JsonProperty("lan-wan")
    LAN_WAN
  }

  /** Where the binding can be reached: {@code available} is what the SDK builds URLs from. */
  public record Addresses(
      List<String> enabled,
      List<HostPort> disabled,
      Map<String, GuaAccess> guaAccess,
      List<HostnameInfo> available) {
    public Addresses {
      enabled = enabled == null ? List.of() : List.copyOf(enabled);
      disabled = disabled == null ? List.of() : List.copyOf(disabled);
      guaAccess = Host.copy(guaAccess);
      available = available == null ? List.of() : List.copyOf(available);
    }
  }

  public BindInfo withInterface(ServiceInterface iface) {
    var next = new LinkedHashMap<>(interfaces);
    next.put(iface.id(), iface);
    return new BindInfo(enabled, options, net, addresses, next);
  }

  public BindInfo withInterfaces(Map<String, ServiceInterface> next) {
    return new BindInfo(enabled, options, net, addresses, next);
  }
}
