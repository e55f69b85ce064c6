package dev.hearth.startd.net;

import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.HostnameInfo;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every address a binding can be reached at ({@code addresses.available}): per gateway, each of its
 * IPv4 and IPv6 addresses, and {@code <hostname>.local} once for all the gateways mDNS answers on;
 * each at the binding's TLS port when the host terminates TLS for it ({@code addSsl}), and at its
 * plain port when it has one. Pure: what is on is {@link AddressToggles}' business.
 */
public final class AddressPlan {
  private AddressPlan() {}

  /** One port a binding is reached on, and whether TLS is spoken there. */
  private record Port(int number, boolean ssl) {}

  public static List<HostnameInfo> available(
      BindInfo.Options options,
      BindInfo.Net net,
      Map<String, GatewayInfo> gateways,
      String hostname) {
    List<Port> ports = new ArrayList<>(2);
    if (options.addSsl() != null && net.assignedSslPort() != null) {
      ports.add(new Port(net.assignedSslPort(), true));
    }
    if (net.assignedPort() != null) {
      ports.add(new Port(net.assignedPort(), options.secure() != null && options.secure().ssl()));
    }
    List<HostnameInfo> out = new ArrayList<>();
    for (Port port : ports) {
      List<String> mdns = new ArrayList<>();
      gateways.forEach((id, g) -> {
        for (String text : g.addresses()) {
          HostnameInfo h = ip(id, g, text, port);
          if (h != null) {
            out.add(h);
          }
        }
        if (!g.isLoopback() && !g.addresses().isEmpty()) {
          mdns.add(id);
        }
      });
      if (!mdns.isEmpty() && !hostname.isEmpty()) {
        out.add(
            new HostnameInfo(
                port.ssl(),
                false,
                hostname + ".local",
                port.number(),
                new HostnameInfo.Metadata.Mdns(mdns)));
      }
    }
    return out;
  }

  private static @Nullable HostnameInfo ip(String id, GatewayInfo g, String text, Port port) {
    InetAddress ip;
    try {
      ip = InetAddress.ofLiteral(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (ip instanceof Inet6Address) {
      long scope = ip.isLinkLocalAddress() && g.ipInfo() != null ? g.ipInfo().scopeId() : 0;
      // a global IPv6 address is reached per guaAccess, not per the public flag: never public here
      return new HostnameInfo(
          port.ssl(), false, text, port.number(), new HostnameInfo.Metadata.Ipv6(id, scope));
    }
    return new HostnameInfo(
        port.ssl(),
        InterfaceScan.isPublic(ip),
        text,
        port.number(),
        new HostnameInfo.Metadata.Ipv4(id));
  }
}
