package dev.hearth.startd.net.mdns;

import dev.hearth.startd.net.mdns.DnsWire.Answer;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often one interface may answer, so that a flood of queries never becomes a flood of answers.
 *
 * <p>Multicast: a record goes to the group at most once per second per interface and address family
 * (RFC 6762 §6), announcements included; an answer to a probe may follow 250 ms after the last one
 * (the one exception §6 allows). Unicast (legacy queries, RFC 6762 §6.7, and QU questions, §5.4): a
 * token bucket per client address (its source port is free to change, its address less so on a link
 * where {@link Link} only answers neighbours) and one for the whole interface, so that many
 * clients, or one forging many addresses, still get at most {@link #LINK_RATE} answers a second.
 *
 * <p>Thread-safe: both readers of a {@link Link} and the {@link Mdns} caller use it; all state is
 * guarded by {@code this}, and no method does I/O.
 */
final class AnswerLimits {
  static final Duration MULTICAST_INTERVAL = Duration.ofSeconds(1); // RFC 6762 §6
  static final Duration PROBE_INTERVAL = Duration.ofMillis(250); // RFC 6762 §6: probe answers
  // a resolver asks for A and AAAA and retries a few times; 10 at once covers that, 5/s refills it
  static final int CLIENT_BURST = 10;
  static final double CLIENT_RATE = 5; // answers per second, per client address
  static final int LINK_BURST = 50;
  static final double LINK_RATE = 50; // answers per second on the interface, all clients together
  // clients remembered per interface; the oldest is forgotten, the interface bucket still holds
  static final int MAX_CLIENTS = 256;
  private static final int MAX_RECORDS = 64; // multicast times kept before stale ones are pruned

  private record Sent(ProtocolFamily family, Answer record) {}

  private final InstantSource clock;
  private final Map<Sent, Instant> multicast = new HashMap<>(); // guarded by this
  private final Map<InetAddress, Bucket> clients = // guarded by this; least recently used first
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
          return size() > MAX_CLIENTS;
        }
      };
  private final Bucket link; // guarded by this

  AnswerLimits(InstantSource clock) {
    this.clock = clock;
    this.link = new Bucket(LINK_BURST, LINK_RATE, clock.instant());
  }

  /**
   * Of {@code answers}, those that may be multicast on {@code family} now, which are then counted
   * as sent; empty if none may.
   */
  synchronized List<Answer> multicast(ProtocolFamily family, List<Answer> answers, boolean probe) {
    Instant now = clock.instant();
    Duration interval = probe ? PROBE_INTERVAL : MULTICAST_INTERVAL;
    List<Answer> allowed = new ArrayList<>(answers.size());
    for (Answer a : answers) {
      Instant last = multicast.get(new Sent(family, a));
      if (last == null || !now.isBefore(last.plus(interval))) {
        allowed.add(a);
      }
    }
    record(family, allowed, now);
    return allowed;
  }

  /** Counts {@code answers} as multicast now: an announcement, which is sent regardless. */
  synchronized void announced(ProtocolFamily family, List<Answer> answers) {
    record(family, answers, clock.instant());
  }

  private void record(ProtocolFamily family, List<Answer> answers, Instant now) {
    if (multicast.size() > MAX_RECORDS) { // old names after many renames
      multicast.values().removeIf(t -> !now.isBefore(t.plus(MULTICAST_INTERVAL)));
    }
    for (Answer a : answers) {
      multicast.put(new Sent(family, a), now);
    }
  }

  /** Whether one unicast answer may go to {@code client} now; if so, it is counted. */
  synchronized boolean unicast(InetAddress client) {
    Instant now = clock.instant();
    Bucket c = clients.computeIfAbsent(client, k -> new Bucket(CLIENT_BURST, CLIENT_RATE, now));
    c.refill(now);
    link.refill(now);
    if (c.tokens < 1 || link.tokens < 1) {
      return false;
    }
    c.tokens--;
    link.tokens--;
    return true;
  }

  /** A token bucket; guarded by the enclosing instance. */
  private static final class Bucket {
    private final int burst;
    private final double perSecond;
    private double tokens;
    private Instant refilled;

    Bucket(int burst, double perSecond, Instant now) {
      this.burst = burst;
      this.perSecond = perSecond;
      this.tokens = burst;
      this.refilled = now;
    }

    void refill(Instant now) {
      if (now.isAfter(refilled)) {
        Duration d = Duration.between(refilled, now);
        double seconds = d.getSeconds() + d.getNano() / 1e9;
        tokens = Math.min(burst, tokens + seconds * perSecond);
        refilled = now;
      }
    }
  }
}
