package dev.hearth.startd.net;

import dev.hearth.patchdb.Snapshot;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.HostnameInfo;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
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

  /** Every host in {@code snapshot}: the server's UI first, then each package's. */
  public static List<Host> all(Snapshot snapshot) {
    List<Host> hosts = new ArrayList<>();
    snapshot.get(NetPaths.SERVER_HOST).ifPresent(hosts::add);
    for (PackageId id : snapshot.get(PackagePaths.ALL).orElse(Map.of()).keySet()) {
      snapshot.get(PackagePaths.hosts(id)).ifPresent(m -> hosts.addAll(m.values()));
    }
    return hosts;
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
