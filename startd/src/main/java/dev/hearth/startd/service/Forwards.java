package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.service.effect.EffectHost;
import dev.hearth.startd.service.model.PackageId;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port forwards that make each binding reachable on the host (for now, before TLS vhosts): one
 * per package, host and internal port, re-pointed when the container comes back with a new address.
 * A package gets only ports {@link HostPorts} allows, and at most {@link #MAX_PER_PACKAGE} (each is
 * a listening socket and a thread on the host).
 */
final class Forwards implements EffectHost.PortForwards {
  private static final Logger log = LoggerFactory.getLogger(Forwards.class);
  static final int MAX_PER_PACKAGE = 1024;

  private final Sandboxes sandboxes;
  private final HostPorts ports;
  private final Map<PackageId, Map<String, Sandboxes.Forward>> byPackage =
      new ConcurrentHashMap<>();

  Forwards(Sandboxes sandboxes, HostPorts ports) {
    this.sandboxes = sandboxes;
    this.ports = ports;
  }

  private static String key(String hostId, int internalPort) {
    return hostId + ":" + internalPort;
  }

  /**
   * Forwards to {@code target}, on {@code preferred} if free, else on the port it had, else any.
   *
   * @return the external port
   */
  @Override
  public synchronized int open(
      PackageId packageId,
      String hostId,
      int internalPort,
      int preferred,
      InetSocketAddress target) {
    Map<String, Sandboxes.Forward> mine = room(packageId, hostId, internalPort);
    Sandboxes.Forward old = mine.remove(key(hostId, internalPort));
    int want = old != null ? old.port() : preferred;
    if (old != null) {
      old.close();
    }
    String refused = want == 0 ? null : ports.refusal(want);
    if (refused != null) {
      log.info("{} asked for host port {}: {}; it gets another", packageId, want, refused);
      want = 0;
    }
    Sandboxes.Forward f;
    try {
      f = sandboxes.forward(want, target);
    } catch (RuntimeException taken) {
      f = sandboxes.forward(0, target);
    }
    mine.put(key(hostId, internalPort), f);
    return f.port();
  }

  /**
   * Forwards to {@code target} on exactly {@code port} (a port range's member).
   *
   * @throws StartException ({@link ErrorKind#INVALID_REQUEST}) if the package may not have it or it
   *     is taken
   */
  @Override
  public synchronized void openExactly(
      PackageId packageId, String hostId, int internalPort, int port, InetSocketAddress target) {
    Map<String, Sandboxes.Forward> mine = room(packageId, hostId, internalPort);
    Sandboxes.Forward old = mine.remove(key(hostId, internalPort));
    if (old != null) {
      old.close();
    }
    String refused = ports.refusal(port);
    if (refused != null) {
      throw new StartException(ErrorKind.INVALID_REQUEST, packageId + " may not have " + refused);
    }
    mine.put(key(hostId, internalPort), sandboxes.forward(port, target));
  }

  /** The package's forwards, refusing a new one past the limit. */
  private Map<String, Sandboxes.Forward> room(
      PackageId packageId, String hostId, int internalPort) {
    Map<String, Sandboxes.Forward> mine =
        byPackage.computeIfAbsent(packageId, p -> new HashMap<>());
    if (mine.size() >= MAX_PER_PACKAGE && !mine.containsKey(key(hostId, internalPort))) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          packageId + " has " + MAX_PER_PACKAGE + " forwarded ports, the most a package may have");
    }
    return mine;
  }

  @Override
  public synchronized void close(PackageId packageId, String hostId, int internalPort) {
    Map<String, Sandboxes.Forward> mine = byPackage.get(packageId);
    if (mine != null) {
      Sandboxes.Forward f = mine.remove(key(hostId, internalPort));
      if (f != null) {
        f.close();
      }
    }
  }

  synchronized void closeAll(PackageId packageId) {
    Map<String, Sandboxes.Forward> mine = byPackage.remove(packageId);
    if (mine != null) {
      mine.values().forEach(Sandboxes.Forward::close);
    }
  }

  synchronized void closeAll() {
    byPackage.values().forEach(m -> m.values().forEach(Sandboxes.Forward::close));
    byPackage.clear();
  }
}
