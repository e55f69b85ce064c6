package dev.hearth.startd.service.effect;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.patchdb.Tx;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.net.AddressPlan;
import dev.hearth.startd.net.NetPaths;
import dev.hearth.startd.net.Protocol;
import dev.hearth.startd.net.UserToggles;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.BindingRange;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.ServiceInterface;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The networking effects (container-runtime.md §2.7): bindings become port forwards on the host,
 * and each binding's {@code addresses.available} lists where it can be reached, which is what the
 * SDK builds URLs from. TLS vhosts, domains and Tor come with the networking subsystem; until then
 * every binding is forwarded as it is on the host's LAN addresses: TCP, and UDP too when it is raw
 * ({@link #protocols}); a port range, TCP and UDP.
 *
 * <p>Every change to self's hosts is one {@code tx.update} of the whole map, computed from the
 * value in that transaction: concurrent effects of one package never lose each other's bindings.
 * Port forwards (sockets, not data) are opened before and closed after that write.
 */
final class NetworkEffects {
  private final EffectHost host;
  private final CallingService self;
  private final PackageId id;

  NetworkEffects(EffectHost host, CallingService self) {
    this.host = host;
    this.self = self;
    this.id = self.packageId();
  }

  void bind(RpcTree.Builder tree) {
    tree.bind(Effects.BIND, (ctx, p) -> bindPort(p));
    tree.bind(Effects.BIND_RANGE, (ctx, p) -> bindRange(p));
    tree.bind(Effects.CLEAR_BINDINGS, (ctx, p) -> clearBindings(p));
    tree.bind(Effects.GET_SERVICE_PORT_FORWARD, (ctx, p) -> portForward(p));
    tree.bind(Effects.GET_HOST_INFO, (ctx, p) -> hostInfo(p));
    tree.bind(Effects.GET_CONTAINER_IP, (ctx, p) -> containerIp(p));
    tree.bind(Effects.GET_OS_IP, (ctx, p) -> host.hostAddress().getHostAddress());
    tree.bind(Effects.GET_OUTBOUND_GATEWAY, (ctx, p) -> outboundGateway());
    tree.bind(Effects.EXPORT_SERVICE_INTERFACE, (ctx, p) -> exportInterface(p));
    tree.bind(Effects.EXPORT_RANGE_SERVICE_INTERFACE, (ctx, p) -> exportRangeInterface(p));
    tree.bind(Effects.GET_SERVICE_INTERFACE, (ctx, p) -> getInterface(p));
    tree.bind(Effects.LIST_SERVICE_INTERFACES, (ctx, p) -> listInterfaces(p));
    tree.bind(Effects.CLEAR_SERVICE_INTERFACES, (ctx, p) -> clearInterfaces(p));
  }

  /** One write of self's hosts: {@code change} gets the map as it is in the transaction. */
  private <R> R changeHosts(java.util.function.Function<Map<String, Host>, Result<R>> change) {
    return changeHosts((tx, hosts) -> change.apply(hosts));
  }

  /** As {@link #changeHosts(java.util.function.Function)}, with the transaction to read more. */
  private <R> R changeHosts(
      java.util.function.BiFunction<Tx, Map<String, Host>, Result<R>> change) {
    return host.mutateAs(
        id,
        tx -> {
          List<R> out = new ArrayList<>(1);
          tx.update(
              PackagePaths.hosts(id),
              hosts -> {
                Result<R> r = change.apply(tx, hosts);
                out.clear();
                out.add(r.value());
                return r.hosts();
              });
          return out.getFirst();
        });
  }

  private record Result<R>(Map<String, Host> hosts, R value) {}

  private static Map<String, Host> with(Map<String, Host> hosts, String hostId, Host h) {
    var next = new LinkedHashMap<>(hosts);
    next.put(hostId, h);
    return next;
  }

  private static Map<String, Host> mapHosts(Map<String, Host> hosts, UnaryOperator<Host> change) {
    var next = new LinkedHashMap<String, Host>();
    hosts.forEach((hostId, h) -> next.put(hostId, change.apply(h)));
    return next;
  }

  private @Nullable Void bindPort(NetworkParams.Bind p) {
    int internal = p.internalPort();
    Integer preferred = p.preferredExternalPort();
    int external =
        host.forwards()
            .open(
                id,
                p.id(),
                internal,
                preferred == null ? 0 : preferred,
                protocols(p.addSsl(), p.secure()),
                new InetSocketAddress(self.ip(), internal));
    var options =
        new BindInfo.Options(preferred == null ? internal : preferred, p.addSsl(), p.secure());
    Integer ssl =
        p.addSsl() == null
            ? null
            : host.forwards()
                .openTls(
                    id,
                    p.id(),
                    internal,
                    p.addSsl().preferredExternalPort(),
                    new InetSocketAddress(self.ip(), internal),
                    p.addSsl().addXForwardedHeaders());
    var net = new BindInfo.Net(external, ssl);
    changeHosts((tx, hosts) -> {
      Host h = hosts.getOrDefault(p.id(), Host.empty());
      BindInfo old = h.bindings().get(internal);
      // the addresses from the gateways and hostname of this transaction; the user's toggles from
      // the private model, where the package cannot reach: clearing and binding again must not
      // turn on what the user turned off
      var addresses =
          UserToggles.apply(
              tx,
              UserToggles.key(id.value(), p.id(), internal),
              AddressPlan.available(
                  options,
                  net,
                  tx.get(NetPaths.GATEWAYS).orElse(Map.of()),
                  tx.get(PublicPaths.HOSTNAME).orElse("")),
              old == null ? Map.of() : old.addresses().guaAccess());
      var binding =
          new BindInfo(true, options, net, addresses, old == null ? Map.of() : old.interfaces());
      return new Result<>(with(hosts, p.id(), h.withBinding(internal, binding)), true);
    });
    return null;
  }

  /**
   * The protocols a binding is forwarded for. The bind effect names no transport (container-runtime
   * §2.7), so it is read from what the SDK derives from the package's {@code protocol}: a binding
   * the host may terminate TLS on ({@code addSsl}: http, ws) or that is TLS itself ({@code
   * secure.ssl}: https, wss) is TCP; a raw one ({@code protocol: null}, ssh, dns: no {@code
   * addSsl}, {@code secure} null or without TLS) may be a UDP service (DNS, WireGuard, a game
   * server), so it is forwarded for TCP and UDP on one port.
   */
  static Set<Protocol> protocols(
      BindInfo.@Nullable AddSsl addSsl, BindInfo.@Nullable Security secure) {
    boolean tls = addSsl != null || (secure != null && secure.ssl());
    return tls ? Set.of(Protocol.TCP) : Set.of(Protocol.TCP, Protocol.UDP);
  }

  /**
   * Reserves the range in the database first, in one write that checks it against every range self
   * holds then: of two overlapping requests only one gets it. The range self already holds at the
   * same host and internal start is not an overlap but this range again, as every init binds it (a
   * reload, a restart of the daemon, an update): it is replaced, its interface kept. Then opens the
   * forwards; if one cannot be opened, the reservation is withdrawn (if it is still this one).
   */
  private @Nullable Void bindRange(NetworkParams.BindRange p) {
    int start = p.internalStartPort();
    int externalStart = p.externalStartPort();
    int count = p.numberOfPorts();
    BindingRange previous =
        changeHosts(hosts -> {
          hosts.forEach((hostId, h) ->
              h.bindingRanges()
                  .forEach((slot, r) -> {
                    boolean itself = hostId.equals(p.id()) && slot == start;
                    if (!itself && r.overlaps(externalStart, count)) {
                      throw new StartException(
                          ErrorKind.INVALID_REQUEST, "the port range overlaps one already taken");
                    }
                  }));
          Host h = hosts.getOrDefault(p.id(), Host.empty());
          BindingRange old = h.bindingRanges().get(start);
          var range =
              new BindingRange(start, externalStart, count, old == null ? null : old.iface());
          return new Result<>(with(hosts, p.id(), h.withRange(start, range)), old);
        });
    if (previous != null) {
      closeRange(p.id(), previous);
    }
    try {
      host.forwards().openRange(id, p.id(), start, externalStart, count, self.ip());
    } catch (RuntimeException e) {
      changeHosts(hosts -> {
        Host h = hosts.get(p.id());
        BindingRange mine = h == null ? null : h.bindingRanges().get(start);
        if (mine == null || mine.externalStartPort() != externalStart) {
          return new Result<>(hosts, false);
        }
        var ranges = new LinkedHashMap<>(h.bindingRanges());
        ranges.remove(start);
        return new Result<>(with(hosts, p.id(), h.withRanges(ranges)), true);
      });
      throw e;
    }
    return null;
  }

  /** Closes the forwards of a range self held. */
  private void closeRange(String hostId, BindingRange r) {
    host.forwards().closeRange(id, hostId, r.internalStartPort());
  }

  /**
   * Removes every binding and range of self that {@code except} does not name; the SDK names a
   * range by its internal start port, as it names a binding by its port.
   */
  private @Nullable Void clearBindings(NetworkParams.ClearBindings p) {
    Set<String> keep = new HashSet<>();
    p.except().forEach(e -> keep.add(e.id() + ":" + e.internalPort()));
    record Gone(
        List<Map.Entry<String, Integer>> bindings, List<Map.Entry<String, BindingRange>> ranges) {}
    Gone removed =
        changeHosts(hosts -> {
          var gone = new Gone(new ArrayList<>(), new ArrayList<>());
          var next = new LinkedHashMap<String, Host>();
          hosts.forEach((hostId, h) -> {
            var bindings = new LinkedHashMap<Integer, BindInfo>();
            h.bindings()
                .forEach((port, b) -> {
                  if (keep.contains(hostId + ":" + port)) {
                    bindings.put(port, b);
                  } else {
                    gone.bindings().add(Map.entry(hostId, port));
                  }
                });
            var ranges = new LinkedHashMap<Integer, BindingRange>();
            h.bindingRanges()
                .forEach((startPort, r) -> {
                  if (keep.contains(hostId + ":" + startPort)) {
                    ranges.put(startPort, r);
                  } else {
                    gone.ranges().add(Map.entry(hostId, r));
                  }
                });
            next.put(hostId, h.withBindings(bindings).withRanges(ranges));
          });
          return new Result<>(next, gone);
        });
    removed.bindings().forEach(r -> host.forwards().close(id, r.getKey(), r.getValue()));
    removed.ranges().forEach(r -> closeRange(r.getKey(), r.getValue()));
    return null;
  }

  private NetworkParams.PortForward portForward(NetworkParams.PortForwardQuery p) {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    BindInfo b =
        host.read(PackagePaths.host(target, p.hostId()))
            .map(h -> h.bindings().get(p.internalPort()))
            .orElse(null);
    return b == null
        ? new NetworkParams.PortForward(null, null)
        : new NetworkParams.PortForward(b.net().assignedPort(), b.net().assignedSslPort());
  }

  private @Nullable Host hostInfo(NetworkParams.HostInfoQuery p) {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    Watches.watch(host, self, p.callback(), PackagePaths.host(target, p.hostId()).pointer());
    return host.read(PackagePaths.host(target, p.hostId())).orElse(null);
  }

  private @Nullable String containerIp(ServiceParams.Target p) {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    if (target.equals(id)) {
      return self.ip().getHostAddress();
    }
    return host.runningIp(target).map(ip -> ip.getHostAddress()).orElse(null);
  }

  private String outboundGateway() {
    List<EffectHost.Gateway> gateways = host.gateways();
    return gateways.isEmpty() ? "lo" : gateways.getFirst().name();
  }

  private @Nullable Void exportInterface(NetworkParams.ExportInterface p) {
    ServiceInterface iface = p.toInterface();
    String hostId = iface.addressInfo().hostId();
    int internal = iface.addressInfo().internalPort();
    changeHosts(hosts -> {
      Host h = hosts.get(hostId);
      BindInfo b = h == null ? null : h.bindings().get(internal);
      if (b == null) {
        throw new StartException(
            ErrorKind.NOT_FOUND,
            "bind " + hostId + ":" + internal + " before exporting an interface on it");
      }
      return new Result<>(
          with(hosts, hostId, h.withBinding(internal, b.withInterface(iface))), true);
    });
    return null;
  }

  private @Nullable Void exportRangeInterface(NetworkParams.ExportRangeInterface p) {
    var iface =
        new BindingRange.RangeInterface(
            p.id(), p.name(), p.description() == null ? "" : p.description(), p.scheme());
    changeHosts(hosts -> {
      Host h = hosts.get(p.hostId());
      BindingRange r = h == null ? null : h.bindingRanges().get(p.internalStartPort());
      if (r == null) {
        throw new StartException(
            ErrorKind.NOT_FOUND, "no port range at " + p.hostId() + ":" + p.internalStartPort());
      }
      return new Result<>(
          with(hosts, p.hostId(), h.withRange(p.internalStartPort(), r.withInterface(iface))),
          true);
    });
    return null;
  }

  /** Every interface of a package, keyed by id, found in its hosts' bindings. */
  private Map<String, ServiceInterface> interfaces(PackageId target) {
    Map<String, ServiceInterface> out = new LinkedHashMap<>();
    for (Host h : host.read(PackagePaths.hosts(target)).orElse(Map.of()).values()) {
      for (BindInfo b : h.bindings().values()) {
        out.putAll(b.interfaces());
      }
    }
    return out;
  }

  private @Nullable ServiceInterface getInterface(NetworkParams.InterfaceQuery p) {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    Watches.watch(host, self, p.callback(), PackagePaths.hosts(target).pointer());
    return interfaces(target).get(p.serviceInterfaceId());
  }

  private Map<String, ServiceInterface> listInterfaces(ServiceParams.Target p) {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    Watches.watch(host, self, p.callback(), PackagePaths.hosts(target).pointer());
    return interfaces(target);
  }

  private @Nullable Void clearInterfaces(NetworkParams.ClearInterfaces p) {
    List<String> keep = p.except();
    changeHosts(hosts ->
        new Result<>(
            mapHosts(
                hosts,
                h ->
                    h.mapBindings(
                            b -> {
                              var ifaces = new LinkedHashMap<>(b.interfaces());
                              ifaces.keySet().retainAll(keep);
                              return b.withInterfaces(ifaces);
                            })
                        .mapRanges(r ->
                            r.iface() != null && !keep.contains(r.iface().id())
                                ? r.withInterface(null)
                                : r)),
            true));
    return null;
  }
}
