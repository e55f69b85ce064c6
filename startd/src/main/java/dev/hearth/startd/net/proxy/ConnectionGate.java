package dev.hearth.startd.net.proxy;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open client connections in total and per remote IP, across all event loops. {@link #admit}
 * and {@link #release} are called once each per accepted connection; an entry disappears when its
 * count drops to zero, so the map is bounded by the open connections.
 */
final class ConnectionGate {
  private final int perClient;
  private final int total;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byClient = new ConcurrentHashMap<>();

  ConnectionGate(int perClient, int total) {
    this.perClient = perClient;
    this.total = total;
  }

  /** Counts the connection in and returns true, or returns false (and counts nothing). */
  boolean admit(InetAddress client) {
    if (open.incrementAndGet() > total) {
      open.decrementAndGet();
      return false;
    }
    boolean[] ok = {false};
    byClient.compute(
        client,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= perClient) return n;
          ok[0] = true;
          return now + 1;
        });
    if (!ok[0]) open.decrementAndGet();
    return ok[0];
  }

  void release(InetAddress client) {
    byClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    open.decrementAndGet();
  }
}
