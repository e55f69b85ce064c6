package dev.hearth.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Gateways and the addresses of hosts (rpc.md §4.3 {@code server.host.*}, §4.4 {@code
 * package.host.*}, §4.6 {@code net.gateway.*}). Shapes of the model ({@code GatewayInfo}, {@code
 * BindInfo}, {@code HostnameInfo}) are patchdb.md §7.1's and travel as JSON here.
 */
public final class NetApi {
  private NetApi() {}

  public record GatewayName(String id, @Nullable String name) {
    public GatewayName {
      Objects.requireNonNull(id, "id");
    }
  }

  /** A package's host: {@code package} on the wire. */
  public record HostParams(
      @com.fasterxml.jackson.annotation.JsonProperty("package") String pkg, String host) {
    public HostParams {
      Objects.requireNonNull(pkg, "package");
      Objects.requireNonNull(host, "host");
    }
  }

  public record PackageOnly(@com.fasterxml.jackson.annotation.JsonProperty("package") String pkg) {
    public PackageOnly {
      Objects.requireNonNull(pkg, "package");
    }
  }

  /**
   * Turns one address of a binding on or off.
   *
   * @param address the address as {@code addresses.available} lists it (a HostnameInfo)
   * @param enabled default true
   */
  public record SetAddressEnabled(
      @com.fasterxml.jackson.annotation.JsonProperty("package") @Nullable String pkg,
      @Nullable String host,
      int internalPort,
      JsonNode address,
      @Nullable Boolean enabled) {
    public SetAddressEnabled {
      Objects.requireNonNull(address, "address");
    }

    public boolean on() {
      return enabled == null || enabled;
    }
  }

  /** One address of a binding and whether it is on. */
  public record Address(JsonNode address, boolean enabled) {}

  public static final MethodSpec<Empty, Map<String, JsonNode>> GATEWAY_LIST =
      MethodSpec.of(
          "net.gateway.list",
          Empty.class,
          new TypeReference<Map<String, JsonNode>>() {},
          "The gateways: the network interfaces the server is reached through");

  public static final MethodSpec<GatewayName, Void> GATEWAY_SET_NAME =
      MethodSpec.of(
              "net.gateway.set-name",
              GatewayName.class,
              Void.class,
              "Name a gateway (null: show its interface name)")
          .syncingDb();

  public static final MethodSpec<PackageOnly, List<String>> PACKAGE_HOST_LIST =
      MethodSpec.of(
          "package.host.list",
          PackageOnly.class,
          new TypeReference<List<String>>() {},
          "The ids of a package's hosts");

  public static final MethodSpec<HostParams, Map<String, JsonNode>> PACKAGE_BINDING_LIST =
      MethodSpec.of(
          "package.host.binding.list",
          HostParams.class,
          new TypeReference<Map<String, JsonNode>>() {},
          "A host's bindings by internal port");

  public static final MethodSpec<HostParams, Map<String, List<Address>>> PACKAGE_ADDRESS_LIST =
      MethodSpec.of(
          "package.host.address.list",
          HostParams.class,
          new TypeReference<Map<String, List<Address>>>() {},
          "Every address of a host's bindings, by internal port, and whether each is on");

  public static final MethodSpec<SetAddressEnabled, Void> PACKAGE_SET_ADDRESS_ENABLED =
      MethodSpec.of(
              "package.host.binding.set-address-enabled",
              SetAddressEnabled.class,
              Void.class,
              "Turn an address of a package's binding on or off")
          .syncingDb();

  public static final MethodSpec<Empty, Map<String, JsonNode>> SERVER_BINDING_LIST =
      MethodSpec.of(
          "server.host.binding.list",
          Empty.class,
          new TypeReference<Map<String, JsonNode>>() {},
          "The bindings of the server's own UI by internal port");

  public static final MethodSpec<Empty, Map<String, List<Address>>> SERVER_ADDRESS_LIST =
      MethodSpec.of(
          "server.host.address.list",
          Empty.class,
          new TypeReference<Map<String, List<Address>>>() {},
          "Every address of the server's own UI, by internal port, and whether each is on");

  public static final MethodSpec<SetAddressEnabled, Void> SERVER_SET_ADDRESS_ENABLED =
      MethodSpec.of(
              "server.host.binding.set-address-enabled",
              SetAddressEnabled.class,
              Void.class,
              "Turn an address of the server's own UI on or off (loopback ones cannot be)")
          .syncingDb();
}
