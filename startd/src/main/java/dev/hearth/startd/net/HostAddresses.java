package dev.hearth.startd.net;

import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.HostnameInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A host's addresses made again from the gateways and hostname, and the ones turned off. */
public final class HostAddresses {
  private HostAddresses() {}

  /** {@code b} with {@code available} made from {@code gateways}, the user's toggles kept. */
  public static BindInfo recompute(BindInfo b, Map<String, GatewayInfo> gateways, String hostname) {
    var a = b.addresses();
    var available = AddressPlan.available(b.options(), b.net(), gateways, hostname);
    if (available.equals(a.available())) {
      return b;
    }
    var next = new BindInfo.Addresses(a.enabled(), a.disabled(), a.guaAccess(), available);
    return new BindInfo(b.enabled(), b.options(), b.net(), next, b.interfaces());
  }

  public static Host recompute(Host h, Map<String, GatewayInfo> gateways, String hostname) {
    return h.mapBindings(b -> recompute(b, gateways, hostname));
  }

  /** The IP addresses of {@code h} that are turned off: what the firewall refuses. */
  public static List<Blocked> blocked(Host h) {
    List<Blocked> out = new ArrayList<>();
    for (BindInfo b : h.bindings().values()) {
      for (HostnameInfo info : b.addresses().available()) {
        boolean ip =
            info.metadata() instanceof HostnameInfo.Metadata.Ipv4
                || info.metadata() instanceof HostnameInfo.Metadata.Ipv6;
        if (ip && info.port() != null && !AddressToggles.isEnabled(b.addresses(), info)) {
          out.add(new Blocked(InetAddress.ofLiteral(info.hostname()), info.port()));
        }
      }
    }
    return out;
  }
}
