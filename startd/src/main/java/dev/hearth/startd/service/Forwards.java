package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.net.Dnat;
import dev.hearth.startd.net.Protocol;
import dev.hearth.startd.net.TlsFront;
import dev.hearth.startd.service.effect.EffectHost;
import dev.hearth.startd.service.model.PackageId;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port forwards that make each binding reachable on the host (for now, before TLS vhosts). Each
 * binding keeps one external port for all its protocols: its TCP side is a userspace forward (the
 * TLS proxy of issue 15 takes that place), its UDP side and every port range are kernel forwards,
 * nftables DNAT in startd's table ({@link dev.hearth.startd.net.NatTable}), so a 500-port range
 * costs no socket or thread. A forward is re-pointed when the container comes back with a new
 * address. A package gets only ports {@link HostPorts} allows and no other forward holds, and at
 * most {@link #MAX_PER_PACKAGE} ports.
 *
 * <p>Every method is {@code synchronized}: the kernel table is replaced whole from {@link #held},
 * so changes must not interleave.
 */
final class Forwards implements EffectHost.PortForwards {
  private static final Logger log = LoggerFactory.getLogger(Forwards.class);
  static final int MAX_PER_PACKAGE = 1024;
  private static final int BIND_ATTEMPTS = 5; // a port found free can be taken before we bind it
  private static final Set<Protocol> BOTH = Set.of(Protocol.TCP, Protocol.UDP);

  /** What one binding or range holds on the host. */
  private sealed interface Held permits Single, TlsPort, Range {
    int ports();

    boolean holds(int port, Set<Protocol> protocols);

    List<Dnat> dnat();
  }

  /**
   * A binding: {@code tcp} is its userspace forward (every binding is TCP at least, see {@code
   * NetworkEffects.protocols}).
   */
  private record Single(
      int port, Set<Protocol> protocols, InetSocketAddress target, Sandboxes.Forward tcp)
      implements Held {
    @Override
    public int ports() {
      return 1;
    }

    @Override
    public boolean holds(int p, Set<Protocol> asked) {
      return p == port && asked.stream().anyMatch(protocols::contains);
    }

    @Override
    public List<Dnat> dnat() {
      return protocols.contains(Protocol.UDP)
          ? List.of(new Dnat(Protocol.UDP, port, 1, ipv4(target), target.getPort()))
          : List.of();
    }
  }

  /** A binding's TLS port: a listener of the proxy ({@link TlsFront}) in front of it. */
  private record TlsPort(int port) implements Held {
    @Override
    public int ports() {
      return 1;
    }

    @Override
    public boolean holds(int p, Set<Protocol> asked) {
      return p == port && asked.contains(Protocol.TCP);
    }

    @Override
    public List<Dnat> dnat() {
      return List.of();
    }
  }

  /** A range: TCP and UDP, port by port, in the kernel. */
  private record Range(int externalStart, int count, Inet4Address target, int internalStart)
      implements Held {
    @Override
    public int ports() {
      return count;
    }

    @Override
    public boolean holds(int p, Set<Protocol> asked) {
      return p >= externalStart && p < externalStart + count;
    }

    @Override
    public List<Dnat> dnat() {
      return List.of(
          new Dnat(Protocol.TCP, externalStart, count, target, internalStart),
          new Dnat(Protocol.UDP, externalStart, count, target, internalStart));
    }
  }

  private final Sandboxes sandboxes;
  private final HostPorts ports;
  private final Map<PackageId, Map<String, Held>> held = new HashMap<>(); // guarded by this
  private List<Dnat> applied = List.of(); // guarded by this: what the kernel table holds
  private @Nullable TlsFront tls; // guarded by this: null until the daemon starts it

  Forwards(Sandboxes sandboxes, HostPorts ports) {
    this.sandboxes = sandboxes;
    this.ports = ports;
  }

  private static String key(String hostId, int internalPort) {
    return hostId + ":" + internalPort;
  }

  private static String tlsKey(String hostId, int internalPort) {
    return hostId + ":" + internalPort + "#tls";
  }

  /** From now on, bindings the host terminates TLS for get a TLS port. */
  synchronized void useTls(TlsFront front) {
    this.tls = front;
  }

  /**
   * Serves TLS for a binding (its {@code addSsl}) on {@code preferred} if the package may have it
   * and it is free, else on the port it had, else on a free one, in front of {@code target}.
   *
   * @return the TLS port, or null when the daemon serves no TLS (no Root CA yet, tests without)
   */
  @Override
  public synchronized @Nullable Integer openTls(
      PackageId packageId,
      String hostId,
      int internalPort,
      int preferred,
      InetSocketAddress target,
      boolean forwardedHeaders) {
    TlsFront front = tls;
    if (front == null) {
      return null;
    }
    String key = tlsKey(hostId, internalPort);
    Map<String, Held> mine = room(packageId, key, 1);
    Held old = mine.remove(key);
    if (old instanceof TlsPort t) {
      // the same port again (a restart gave the container a new address): the listener stays,
      // only where it leads changes, so nothing is rebound
      try {
        front.open(t.port(), target, forwardedHeaders);
        mine.put(key, t);
        return t.port();
      } catch (RuntimeException e) {
        front.close(t.port());
        log.info("{} keeps no TLS port {}: {}", packageId, t.port(), e.getMessage());
      }
    }
    int want = preferred;
    Set<Protocol> tcp = Set.of(Protocol.TCP);
    if (want != 0) {
      String refused = ports.refusal(want, tcp);
      if (refused == null && taken(want, tcp)) {
        refused = "port " + want + " is another binding's";
      }
      if (refused != null) {
        log.info("{} asked for TLS port {}: {}; it gets another", packageId, want, refused);
        want = 0;
      }
    }
    int port;
    for (int attempt = 1; ; attempt++) {
      try {
        port = front.open(want, target, forwardedHeaders);
      } catch (RuntimeException e) {
        if (attempt >= BIND_ATTEMPTS) {
          throw e;
        }
        want = 0; // taken between the check and the bind, or the free port was taken
        continue;
      }
      // a free port the kernel gave: not another binding's (that the proxy now listens on it is
      // what HostPorts' "in use" would see, so it is not asked)
      if (want == 0 && taken(port, tcp)) {
        front.close(port);
        if (attempt >= BIND_ATTEMPTS) {
          throw new StartException(ErrorKind.NETWORK, "no free host port is left for TLS");
        }
        continue;
      }
      break;
    }
    mine.put(key, new TlsPort(port));
    return port;
  }

  private static String rangeKey(String hostId, int internalStart) {
    return hostId + "#range:" + internalStart;
  }

  private static Inet4Address ipv4(InetSocketAddress a) {
    if (a.getAddress() instanceof Inet4Address v4) {
      return v4;
    }
    throw new IllegalArgumentException("containers have IPv4 addresses, not " + a);
  }

  /**
   * Forwards {@code protocols} to {@code target}, on {@code preferred} if the package may have it
   * and it is free, else on the port it had, else on a free one from the dynamic range.
   *
   * @return the external port
   */
  @Override
  public synchronized int open(
      PackageId packageId,
      String hostId,
      int internalPort,
      int preferred,
      Set<Protocol> protocols,
      InetSocketAddress target) {
    Map<String, Held> mine = room(packageId, key(hostId, internalPort), 1);
    Held old = mine.remove(key(hostId, internalPort));
    int want = old instanceof Single s ? s.port() : preferred;
    if (old instanceof Single s) {
      s.tcp().close();
    }
    if (want != 0) {
      String refused = ports.refusal(want, protocols);
      if (refused == null && taken(want, protocols)) {
        refused = "port " + want + " is another binding's";
      }
      if (refused != null) {
        log.info("{} asked for host port {}: {}; it gets another", packageId, want, refused);
        want = 0;
      }
    }
    Sandboxes.@Nullable Forward tcp = null;
    for (int attempt = 1; tcp == null; attempt++) {
      // want 0: the kernel picks a free TCP port from its dynamic (ephemeral) range; it must then
      // pass the other checks, for every protocol but the TCP listener just made on it.
      Sandboxes.Forward f;
      try {
        f = sandboxes.forward(want, target);
      } catch (RuntimeException e) {
        if (attempt >= BIND_ATTEMPTS || want == 0) {
          throw e;
        }
        want = 0; // taken between the check and the bind
        continue;
      }
      Set<Protocol> others = EnumSet.copyOf(protocols);
      others.remove(Protocol.TCP);
      if (want == 0 && (ports.refusal(f.port(), others) != null || taken(f.port(), protocols))) {
        f.close();
        if (attempt >= BIND_ATTEMPTS) {
          throw new StartException(ErrorKind.NETWORK, "no free host port is left to forward");
        }
        continue;
      }
      tcp = f;
    }
    Single s = new Single(tcp.port(), Set.copyOf(protocols), target, tcp);
    mine.put(key(hostId, internalPort), s);
    syncOrUndo(mine, key(hostId, internalPort));
    return s.port();
  }

  /**
   * Forwards the {@code count} ports from {@code externalStart}, TCP and UDP, to those from {@code
   * internalStart} at {@code target}, replacing the range this host had at {@code internalStart}.
   *
   * @throws StartException ({@link ErrorKind#INVALID_REQUEST}) if the package may not have one of
   *     them or another forward holds it
   */
  @Override
  public synchronized void openRange(
      PackageId packageId,
      String hostId,
      int internalStart,
      int externalStart,
      int count,
      Inet4Address target) {
    String key = rangeKey(hostId, internalStart);
    Map<String, Held> mine = room(packageId, key, count);
    mine.remove(key);
    String refused = ports.refusal(externalStart, count, BOTH);
    for (int p = externalStart; refused == null && p < externalStart + count; p++) {
      if (taken(p, BOTH)) {
        refused = "port " + p + " is another binding's";
      }
    }
    if (refused != null) {
      syncQuietly(); // the range it had is gone
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          packageId
              + " may not have host ports "
              + externalStart
              + "-"
              + (externalStart + count - 1)
              + ": "
              + refused);
    }
    mine.put(key, new Range(externalStart, count, target, internalStart));
    syncOrUndo(mine, key);
  }

  /** The package's forwards, refusing {@code more} ports past the limit. */
  private Map<String, Held> room(PackageId packageId, String key, int more) {
    Map<String, Held> mine = held.computeIfAbsent(packageId, p -> new LinkedHashMap<>());
    int have = 0;
    for (var e : mine.entrySet()) {
      have += e.getKey().equals(key) ? 0 : e.getValue().ports();
    }
    if (have + more > MAX_PER_PACKAGE) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          packageId
              + " would have more than "
              + MAX_PER_PACKAGE
              + " forwarded ports, the most a package may have");
    }
    return mine;
  }

  private boolean taken(int port, Set<Protocol> protocols) {
    for (Map<String, Held> m : held.values()) {
      for (Held h : m.values()) {
        if (h.holds(port, protocols)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Makes the kernel table match; if it cannot, forgets {@code key} and throws. */
  private void syncOrUndo(Map<String, Held> mine, String key) {
    try {
      syncDnat();
    } catch (RuntimeException e) {
      if (mine.remove(key) instanceof Single s) {
        s.tcp().close();
      }
      throw e;
    }
  }

  private void syncDnat() {
    List<Dnat> all = new ArrayList<>();
    held.values().forEach(m -> m.values().forEach(h -> all.addAll(h.dnat())));
    if (!all.equals(applied)) {
      sandboxes.dnat(all);
      applied = List.copyOf(all);
    }
  }

  @Override
  public synchronized void close(PackageId packageId, String hostId, int internalPort) {
    remove(packageId, key(hostId, internalPort));
    remove(packageId, tlsKey(hostId, internalPort));
  }

  @Override
  public synchronized void closeRange(PackageId packageId, String hostId, int internalStart) {
    remove(packageId, rangeKey(hostId, internalStart));
  }

  private void remove(PackageId packageId, String key) {
    Map<String, Held> mine = held.get(packageId);
    Held h = mine == null ? null : mine.remove(key);
    if (h != null) {
      release(h);
      syncQuietly();
    }
  }

  synchronized void closeAll(PackageId packageId) {
    Map<String, Held> mine = held.remove(packageId);
    if (mine != null) {
      mine.values().forEach(this::release);
      syncQuietly();
    }
  }

  synchronized void closeAll() {
    held.values().forEach(m -> m.values().forEach(this::release));
    held.clear();
    syncQuietly();
  }

  /** Closes what a forward holds outside the kernel table: its socket or TLS listener. */
  private void release(Held h) {
    switch (h) {
      case Single s -> s.tcp().close();
      case TlsPort t -> {
        if (tls != null) {
          tls.close(t.port());
        }
      }
      case Range r -> {}
    }
  }

  /** A forward that goes away must not fail its caller (an uninstall, a clear); it is logged. */
  private void syncQuietly() {
    try {
      syncDnat();
    } catch (RuntimeException e) {
      log.warn("could not update the kernel port forwards: {}", e.getMessage());
    }
  }
}
