package dev.hearth.startd.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One gateway of the server ({@code serverInfo.network.gateways.<id>}, patchdb.md "NetworkInfo"): a
 * network interface the server is reached through, keyed by the interface's name. {@code name} is
 * what the user called it ({@code net.gateway.set-name}); null shows the id.
 */
public record GatewayInfo(
    @Nullable String name, @Nullable Boolean secure, @Nullable IpInfo ipInfo, @Nullable Type type) {

  /**
   * The interface as the kernel has it: its index ({@code scopeId}, what a link-local IPv6 address
   * needs), its addresses with their prefix ({@code subnets}) and without ({@code lanIp}), the
   * public address found by asking an echo service ({@code wanIp}; null until one is asked), and
   * the resolvers it was given.
   */
  public record IpInfo(
      String name,
      long scopeId,
      @Nullable DeviceType deviceType,
      List<String> subnets,
      List<String> lanIp,
      @Nullable String wanIp,
      List<String> ntpServers,
      List<String> dnsServers) {
    public IpInfo {
      Objects.requireNonNull(name, "name");
      subnets = subnets == null ? List.of() : List.copyOf(subnets);
      lanIp = lanIp == null ? List.of() : List.copyOf(lanIp);
      ntpServers = ntpServers == null ? List.of() : List.copyOf(ntpServers);
      dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }
  }

  public enum DeviceType {
    @JsonProperty("ethernet")
    ETHERNET,
    @JsonProperty("wireless")
    WIRELESS,
    @JsonProperty("bridge")
    BRIDGE,
    @JsonProperty("wireguard")
    WIREGUARD,
    @JsonProperty("loopback")
    LOOPBACK
  }

  public enum Type {
    @JsonProperty("inbound-outbound")
    INBOUND_OUTBOUND,
    @JsonProperty("outbound-only")
    OUTBOUND_ONLY
  }

  /** The same gateway with the kernel's view replaced, keeping what the user set. */
  public GatewayInfo withIpInfo(@Nullable IpInfo next) {
    return new GatewayInfo(name, secure, next, type);
  }

  public GatewayInfo withName(@Nullable String next) {
    return new GatewayInfo(next, secure, ipInfo, type);
  }

  /** The addresses of the interface, without prefix. */
  public List<String> addresses() {
    return ipInfo == null ? List.of() : ipInfo.lanIp();
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isLoopback() {
    return ipInfo != null && ipInfo.deviceType() == DeviceType.LOOPBACK;
  }
}
