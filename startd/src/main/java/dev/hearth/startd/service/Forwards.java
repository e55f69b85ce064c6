package dev.hearth.startd.service;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The port forwards that make each binding reachable on the host (for now, before TLS vhosts): one
 * per package, host and internal port, re-pointed when the container comes back with a new address.
 */
final class Forwards {
  private final Sandboxes sandboxes;
  private final Map<String, Map<String, Sandboxes.Forward>> byPackage = new ConcurrentHashMap<>();

  Forwards(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  private static String key(String hostId, int internalPort) {
    return hostId + ":" + internalPort;
  }

  /**
   * Forwards to {@code target}, on {@code preferred} if free, else on the port it had, else any.
   *
   * @return the external port
   */
  synchronized int open(
      String packageId, String hostId, int internalPort, int preferred, InetSocketAddress target) {
    Map<String, Sandboxes.Forward> mine =
        byPackage.computeIfAbsent(packageId, p -> new HashMap<>());
    Sandboxes.Forward old = mine.remove(key(hostId, internalPort));
    int want = old != null ? old.port() : preferred;
    if (old != null) {
      old.close();
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

  synchronized void close(String packageId, String hostId, int internalPort) {
    Map<String, Sandboxes.Forward> mine = byPackage.get(packageId);
    if (mine != null) {
      Sandboxes.Forward f = mine.remove(key(hostId, internalPort));
      if (f != null) {
        f.close();
      }
    }
  }

  synchronized void closeAll(String packageId) {
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
