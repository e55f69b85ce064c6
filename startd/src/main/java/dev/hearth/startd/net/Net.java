package dev.hearth.startd.net;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Registration;
import dev.hearth.patchdb.Tx;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.net.mdns.Mdns;
import dev.hearth.startd.net.mdns.MdnsInterface;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.HostnameInfo;
import dev.hearth.startd.service.model.PackageEntry;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade of the network subsystem: keeps {@code serverInfo.network.gateways} what the kernel
 * says, every binding's {@code addresses.available} what the gateways and the hostname make it (so
 * the SDK's callbacks on hosts fire when an address appears or goes), and the firewall what the
 * user's toggles say. The database is the truth: each of these is derived from it, again, on every
 * change, and a restart rebuilds all of it from there.
 */
public final class Net implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Net.class);

  private final Database db;
  private final java.util.function.Supplier<Map<String, GatewayInfo>> scan;
  private final Consumer<List<Blocked>> firewall;
  private final java.util.function.Supplier<ServerHost> ui;
  private final List<Registration> registrations = new ArrayList<>();
  private final Mdns mdns = new Mdns();
  private @Nullable LinkMonitor monitor;
  private final Object firewallLock = new Object();
  private @Nullable List<Blocked> applied; // guarded by firewallLock: what the firewall has now

  /**
   * @param firewall makes the kernel refuse exactly the addresses given (startd's nft table)
   * @param ui the ports the server's own UI is served on, asked at {@link #start}
   */
  public Net(
      Database db,
      GatewayChoice choice,
      Consumer<List<Blocked>> firewall,
      java.util.function.Supplier<ServerHost> ui) {
    this(db, new InterfaceScan(choice)::scan, firewall, ui);
  }

  /** With another source of gateways than the kernel's interfaces (tests). */
  Net(
      Database db,
      java.util.function.Supplier<Map<String, GatewayInfo>> scan,
      Consumer<List<Blocked>> firewall,
      java.util.function.Supplier<ServerHost> ui) {
    this.db = db;
    this.scan = scan;
    this.firewall = firewall;
    this.ui = ui;
  }

  /** Starts following the kernel and the database; call once the server is set up. */
  public synchronized void start() {
    db.mutate(tx -> {
      Host current = tx.get(NetPaths.SERVER_HOST).orElse(Host.empty());
      tx.put(NetPaths.SERVER_HOST, ui.get().host(current));
      recompute(tx); // the ports or the hostname may have changed while we were not running
    });
    refreshGateways();
    registrations.add(
        db.onChange(
            PublicPaths.HOSTNAME.pointer(),
            json -> {
              recomputeAll();
              announce();
            }));
    registrations.add(db.onChange(PublicPaths.PACKAGE_DATA.pointer(), json -> enforce()));
    registrations.add(db.onChange(NetPaths.SERVER_HOST.pointer(), json -> enforce()));
    monitor =
        LinkMonitor.start(() -> {
          refreshGateways();
          announce();
        });
  }

  /**
   * Makes mDNS answer {@code <hostname>.local} on every LAN gateway (not loopback) with that
   * gateway's addresses, as the database has them now; the responder announces what changed.
   */
  void announce() {
    var snapshot = db.snapshot();
    String hostname = snapshot.get(PublicPaths.HOSTNAME).orElse("");
    Set<MdnsInterface> interfaces = new HashSet<>();
    snapshot
        .get(NetPaths.GATEWAYS)
        .orElse(Map.of())
        .forEach((id, g) -> {
          List<InetAddress> addresses = new ArrayList<>();
          for (String a : g.addresses()) {
            addresses.add(InetAddress.ofLiteral(a));
          }
          if (!g.isLoopback() && !addresses.isEmpty()) {
            interfaces.add(new MdnsInterface(id, addresses));
          }
        });
    if (hostname.isEmpty()) {
      return;
    }
    try {
      mdns.serve(hostname, interfaces);
    } catch (IOException | RuntimeException e) {
      log.warn("mDNS could not answer on every gateway: {}", e.getMessage());
    }
  }

  /** The gateways as the database has them. */
  public Map<String, GatewayInfo> gateways() {
    return db.snapshot().get(NetPaths.GATEWAYS).orElse(Map.of());
  }

  /** Reads the kernel's interfaces again; writes them (and every address) if they changed. */
  void refreshGateways() {
    Map<String, GatewayInfo> seen = scan.get();
    db.mutate(tx -> {
      Map<String, GatewayInfo> old = tx.get(NetPaths.GATEWAYS).orElse(Map.of());
      Map<String, GatewayInfo> next = new LinkedHashMap<>();
      seen.forEach((id, g) -> {
        GatewayInfo kept = old.get(id);
        next.put(id, kept == null ? g : kept.withIpInfo(g.ipInfo()));
      });
      if (!next.equals(old)) {
        log.info("gateways: {}", next.keySet());
        tx.put(NetPaths.GATEWAYS, next);
        recompute(tx);
      }
    });
  }

  /** Every address made again (the hostname changed). */
  private void recomputeAll() {
    db.mutate(this::recompute);
  }

  /** In {@code tx}: every binding's available addresses from the gateways and hostname there. */
  private void recompute(Tx tx) {
    Map<String, GatewayInfo> gateways = tx.get(NetPaths.GATEWAYS).orElse(Map.of());
    String hostname = tx.get(PublicPaths.HOSTNAME).orElse("");
    tx.get(NetPaths.SERVER_HOST)
        .ifPresent(h -> {
          Host next = HostAddresses.recompute(h, gateways, hostname);
          if (!next.equals(h)) {
            tx.put(NetPaths.SERVER_HOST, next);
          }
        });
    Map<PackageId, PackageEntry> all = tx.get(PackagePaths.ALL).orElse(Map.of());
    for (PackageId id : all.keySet()) {
      Map<String, Host> hosts = tx.get(PackagePaths.hosts(id)).orElse(Map.of());
      Map<String, Host> next = new LinkedHashMap<>();
      hosts.forEach(
          (hostId, h) -> next.put(hostId, HostAddresses.recompute(h, gateways, hostname)));
      if (!next.equals(hosts)) {
        tx.put(PackagePaths.hosts(id), next);
      }
    }
  }

  /** Makes the firewall refuse what is turned off now, if that changed. */
  private void enforce() {
    List<Blocked> blocked = new ArrayList<>();
    for (Host h : HostAddresses.all(db.snapshot())) blocked.addAll(HostAddresses.blocked(h));
    synchronized (firewallLock) { // not this: close() holds it while it waits for this listener
      if (blocked.equals(applied)) {
        return;
      }
      firewall.accept(List.copyOf(blocked));
      applied = List.copyOf(blocked);
    }
    log.info("firewall: {} address(es) turned off", blocked.size());
  }

  /**
   * Turns an address of the server's UI ({@code pkg} null) or of a package's binding on or off, in
   * one transaction; the firewall follows from the change.
   *
   * @throws StartException (NOT_FOUND) for an unknown package, host, binding or address
   */
  public void setAddressEnabled(
      @Nullable PackageId pkg,
      @Nullable String hostId,
      int internalPort,
      HostnameInfo address,
      boolean on) {
    db.mutate(tx -> {
      if (pkg == null) {
        Host h = tx.update(NetPaths.SERVER_HOST, x -> toggle(x, internalPort, address, on));
        UserToggles.remember(
            tx,
            UserToggles.key(null, null, internalPort),
            h.bindings().get(internalPort).addresses());
        return;
      }
      Objects.requireNonNull(hostId, "host");
      var path = PackagePaths.hosts(pkg);
      Map<String, Host> hosts =
          tx.get(path)
              .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, "no package " + pkg));
      Host h = hosts.get(hostId);
      if (h == null) {
        throw new StartException(ErrorKind.NOT_FOUND, pkg + " has no host " + hostId);
      }
      var next = new LinkedHashMap<>(hosts);
      Host toggled = toggle(h, internalPort, address, on);
      next.put(hostId, toggled);
      tx.put(path, next);
      UserToggles.remember(
          tx,
          UserToggles.key(pkg.value(), hostId, internalPort),
          toggled.bindings().get(internalPort).addresses());
    });
  }

  private static Host toggle(Host h, int internalPort, HostnameInfo address, boolean on) {
    BindInfo b = h.bindings().get(internalPort);
    if (b == null) {
      throw new StartException(ErrorKind.NOT_FOUND, "no binding on internal port " + internalPort);
    }
    var addresses = AddressToggles.set(b.addresses(), address, on);
    return h.withBinding(
        internalPort, new BindInfo(b.enabled(), b.options(), b.net(), addresses, b.interfaces()));
  }

  public synchronized void setGatewayName(String id, @Nullable String name) {
    db.mutate(tx -> {
      Map<String, GatewayInfo> gateways =
          new LinkedHashMap<>(tx.get(NetPaths.GATEWAYS).orElse(Map.of()));
      GatewayInfo g = gateways.get(id);
      if (g == null) {
        throw new StartException(ErrorKind.NOT_FOUND, "no gateway " + id);
      }
      gateways.put(id, g.withName(name == null || name.isBlank() ? null : name.strip()));
      tx.put(NetPaths.GATEWAYS, gateways);
    });
  }

  @Override
  public synchronized void close() {
    registrations.forEach(Registration::close);
    registrations.clear();
    if (monitor != null) {
      monitor.close();
      monitor = null;
    }
    mdns.close();
  }
}
