package dev.hearth.startd.net.mdns;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code <hostname>.local} on the interfaces it is given, each with that interface's
 * addresses. Nothing is sent or joined until {@link #serve} names the interfaces.
 *
 * <p>{@link #serve} and {@link #close} may be called from any thread and are serialized (on {@code
 * this}); they send datagrams while holding the monitor, which never waits on a peer. Queries are
 * answered on one virtual thread per interface and address family.
 */
public final class Mdns implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Mdns.class);
  static final Duration TTL = Duration.ofSeconds(120); // RFC 6762 §10: host address records
  private static final Duration GOODBYE = Duration.ZERO; // RFC 6762 §10.1
  private static final Duration REANNOUNCE = Duration.ofSeconds(1); // RFC 6762 §8.3: 2nd, 1 s on
  // how long close() waits for the announcer and then for the readers, each
  private static final Duration CLOSE_GRACE = Duration.ofMillis(300);
  // RFC 1123 host label: what server.set-hostname allows, and one label so it sits under .local
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final ScheduledExecutorService announcer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("mdns-announce").factory());
  private final Map<String, Link> links = new HashMap<>(); // by interface name; guarded by this
  private boolean closed; // guarded by this
  private final InstantSource clock;

  /** A responder that serves nothing yet. */
  public Mdns() {
    this(InstantSource.system());
  }

  /** A responder whose answer rate limits ({@link AnswerLimits}) follow {@code clock}. */
  Mdns(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Makes {@code hostname.local} answer on exactly {@code interfaces}, announcing what changed
   * since the last call: a new interface or address is announced (twice, 1 s apart), a rename is
   * announced at once with a goodbye (TTL 0) for the old name, and an interface left out gets a
   * goodbye and is left. Calling it again with the same arguments sends nothing.
   *
   * @param hostname one DNS label, e.g. {@code adjective-noun}; compared without case
   * @throws IllegalArgumentException if {@code hostname} is not a host label or two interfaces
   *     share a name
   * @throws IOException if some interface could not be joined (it does not exist, or has no such
   *     address family); the others are served, and the next call tries it again
   */
  public synchronized void serve(String hostname, Set<MdnsInterface> interfaces)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("mDNS: serve after close");
    }
    String host = hostname.toLowerCase(Locale.ROOT);
    if (!LABEL.matcher(host).matches()) {
      throw new IllegalArgumentException("mDNS: not a host label: '" + hostname + "'");
    }
    Map<String, MdnsInterface> wanted = new HashMap<>();
    for (MdnsInterface i : interfaces) {
      if (wanted.put(i.name(), i) != null) {
        throw new IllegalArgumentException("mDNS: interface " + i.name() + " given twice");
      }
    }
    String fqdn = host + ".local";
    for (Iterator<Map.Entry<String, Link>> it = links.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Link> e = it.next();
      MdnsInterface w = wanted.get(e.getKey());
      Link link = e.getValue();
      if (w == null || !Link.families(w.addresses()).equals(link.families())) {
        link.announce(link.host(), link.addresses(), GOODBYE);
        link.close();
        it.remove();
        log.info("mDNS: {} no longer answered on {}", link.host(), e.getKey());
      }
    }
    List<Link> announced = new ArrayList<>();
    IOException failed = null;
    for (MdnsInterface w : wanted.values()) {
      Link link = links.get(w.name());
      try {
        if (link == null) {
          link = Link.open(w, fqdn, clock);
          links.put(w.name(), link);
          log.info("mDNS: {} answered on {} with {}", fqdn, w.name(), w.addresses());
        } else if (link.host().equals(fqdn) && link.addresses().equals(w.addresses())) {
          continue;
        } else {
          List<InetAddress> gone =
              link.host().equals(fqdn)
                  ? link.addresses().stream().filter(a -> !w.addresses().contains(a)).toList()
                  : link.addresses();
          link.announce(link.host(), gone, GOODBYE);
          link.serve(fqdn, w.addresses());
          log.info("mDNS: {} answered on {} with {}", fqdn, w.name(), w.addresses());
        }
        link.announce(fqdn, w.addresses(), TTL);
        announced.add(link);
      } catch (IOException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (!announced.isEmpty()) {
      announcer.schedule(() -> reannounce(announced), REANNOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (failed != null) {
      throw failed;
    }
  }

  private synchronized void reannounce(List<Link> announced) {
    for (Link link : announced) {
      if (!closed && links.containsValue(link)) {
        link.announce(link.host(), link.addresses(), TTL);
      }
    }
  }

  /** The interfaces answered on now, by name; for tests and the status page. */
  public synchronized Set<String> interfaces() {
    return Set.copyOf(links.keySet());
  }

  /**
   * Sends a goodbye for every record, then leaves every interface and stops. Idempotent. Returns
   * within about twice {@code CLOSE_GRACE} (0.3 s) even if a thread does not stop in time (it is
   * then logged and left to end on its own).
   */
  @Override
  public void close() {
    List<Link> served;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      served = List.copyOf(links.values());
      links.clear();
    }
    announcer.shutdownNow(); // outside the monitor: a pending reannounce waits for it
    try {
      announcer.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Link link : served) {
      link.announce(link.host(), link.addresses(), GOODBYE);
      link.stop();
    }
    Instant deadline = Instant.now().plus(CLOSE_GRACE);
    for (Link link : served) {
      link.await(deadline);
    }
  }

  @Override
  public synchronized String toString() {
    @Nullable Link any = links.values().stream().findFirst().orElse(null);
    return "Mdns[" + (any == null ? "idle" : any.host() + " on " + links.keySet()) + "]";
  }
}
