package dev.hearth.startd.net;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Registration;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.net.proxy.Certificate;
import dev.hearth.startd.net.proxy.Connection;
import dev.hearth.startd.net.proxy.Listener;
import dev.hearth.startd.net.proxy.Proxy;
import dev.hearth.startd.net.proxy.ProxyLimits;
import dev.hearth.startd.net.proxy.Route;
import dev.hearth.startd.net.proxy.UpstreamSockets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The TLS side of the data plane: one {@link Proxy} listener per TLS port, each terminating TLS
 * with a certificate signed by the server's Root CA for every name the server is reached by ({@code
 * <hostname>.local} and each gateway address), then passing HTTP/1.1, HTTP/2 and WebSocket on to
 * its upstream. The names follow the database: a rename or a new address gives new connections a
 * new certificate at once; open connections keep theirs.
 *
 * <p>A connection that names {@code <hostname>.local} (SNI) on a port whose {@code .local} address
 * the user turned off is refused: mDNS answers for the whole server, so the proxy is what turns
 * that one address off. IP addresses are turned off by the firewall ({@link Net}).
 */
public final class TlsFront implements AutoCloseable {
  /** A port's upstream and how it is served. */
  private record Entry(
      InetSocketAddress bind, InetSocketAddress upstream, boolean forwardedHeaders) {}

  private final Database db;
  private final SecureRandom random;
  private final InstantSource clock;
  private final Proxy proxy;
  private final InetAddress bindAddress;
  private final Map<Integer, Entry> entries = new HashMap<>(); // guarded by this
  private volatile Map<Integer, Entry> routes = Map.of(); // a copy of entries for the event loops
  private final List<Registration> registrations = new ArrayList<>();
  private volatile Set<String> names = Set.of();
  private volatile String mdnsName = "";
  private volatile Set<Integer> mdnsOff = Set.of();

  /**
   * @param bindAddress where the services' listeners listen (the wildcard: every gateway; tests:
   *     loopback)
   * @param upstreams where the upstream sockets are made (the containers' namespace)
   */
  public TlsFront(
      Database db,
      SecureRandom random,
      InstantSource clock,
      InetAddress bindAddress,
      UpstreamSockets upstreams) {
    this.db = db;
    this.random = random;
    this.clock = clock;
    this.bindAddress = bindAddress;
    this.proxy = new Proxy(ProxyLimits.defaults(), this::route, this::certificate, upstreams);
    registrations.add(db.onChange(PublicPaths.SERVER_INFO.pointer(), json -> followNames()));
    registrations.add(db.onChange(PublicPaths.PACKAGE_DATA.pointer(), json -> followToggles()));
  }

  /**
   * Serves TLS on {@code port} (0: a free one) in front of {@code upstream}.
   *
   * @return the port
   * @throws StartException (NETWORK) if the port cannot be listened on
   */
  public synchronized int open(int port, InetSocketAddress upstream, boolean forwardedHeaders) {
    return open(new InetSocketAddress(bindAddress, port), upstream, forwardedHeaders);
  }

  /**
   * Serves TLS on {@code bind} (port 0: a free one) in front of {@code upstream}: the server's own
   * UI, whose address is the daemon's {@code --tls}.
   *
   * @return the port
   * @throws StartException (NETWORK) if the port cannot be listened on
   */
  public synchronized int open(
      InetSocketAddress bind, InetSocketAddress upstream, boolean forwardedHeaders) {
    int chosen = bind.getPort() == 0 ? freePort(bind.getAddress()) : bind.getPort();
    var entry =
        new Entry(new InetSocketAddress(bind.getAddress(), chosen), upstream, forwardedHeaders);
    Entry old = entries.put(chosen, entry);
    try {
      apply();
    } catch (RuntimeException e) {
      if (old == null) {
        entries.remove(chosen);
      } else {
        entries.put(chosen, old);
      }
      routes = Map.copyOf(entries);
      throw e;
    }
    return chosen;
  }

  /** Stops serving {@code port}; its open connections end on their own. */
  public synchronized void close(int port) {
    if (entries.remove(port) != null) {
      apply();
    }
  }

  private void apply() {
    Set<Listener> listeners = new HashSet<>();
    entries.values().forEach(e -> listeners.add(new Listener.Tls(e.bind())));
    routes = Map.copyOf(entries); // before listening: a new listener's first client finds it
    proxy.listen(listeners);
  }

  private static int freePort(InetAddress on) {
    try (ServerSocket s = new ServerSocket(0, 1, on)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new StartException(ErrorKind.NETWORK, "no free port for TLS: " + e.getMessage(), e);
    }
  }

  /** On the event loop: the port's upstream, unless its {@code .local} address is turned off. */
  private @Nullable Route route(Connection c) {
    Entry e = routes.get(c.local().getPort()); // never the lock: open() holds it while binding
    if (e == null) {
      return null;
    }
    String sni = c.sni();
    if (sni != null && sni.equalsIgnoreCase(mdnsName) && mdnsOff.contains(c.local().getPort())) {
      return null;
    }
    return new Route.Http(e.upstream(), names, e.forwardedHeaders());
  }

  /** Off the event loop: a certificate for {@code names} from the server's Root CA. */
  private Certificate certificate(Set<String> wanted) {
    LocalCerts certs =
        db.snapshot()
            .get(PrivatePaths.LOCAL_CERTS)
            .orElseThrow(
                () -> new StartException(ErrorKind.UNINITIALIZED, "the server has no Root CA yet"));
    List<String> ordered = new ArrayList<>(new TreeSet<>(wanted));
    ordered.sort((a, b) -> Boolean.compare(!a.endsWith(".local"), !b.endsWith(".local")));
    LocalCa.Issued issued = LocalCa.issue(certs, ordered, random, clock.instant());
    return new Certificate(issued.keyPem(), issued.chainPem(), notAfter(issued.chainPem()));
  }

  private static java.time.Instant notAfter(String chainPem) {
    try {
      var cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
      return cert.getNotAfter().toInstant();
    } catch (CertificateException e) {
      throw new IllegalStateException("a certificate we made does not parse", e);
    }
  }

  /** The names every certificate carries: {@code <hostname>.local} and each gateway address. */
  private void followNames() {
    var snapshot = db.snapshot();
    String hostname = snapshot.get(PublicPaths.HOSTNAME).orElse("");
    // loopback too: the server's own programs and a browser on the box reach it there
    Set<String> next = new TreeSet<>(List.of("localhost", "127.0.0.1", "::1"));
    if (!hostname.isEmpty()) {
      next.add(hostname + ".local");
    }
    snapshot
        .get(NetPaths.GATEWAYS)
        .orElse(Map.of())
        .values()
        .forEach(g -> next.addAll(g.addresses()));
    mdnsName = hostname.isEmpty() ? "" : hostname + ".local";
    names = Set.copyOf(next);
    followToggles();
  }

  /** The TLS ports whose {@code .local} address is turned off. */
  private void followToggles() {
    String local = mdnsName;
    Set<Integer> off = new HashSet<>();
    for (var h : HostAddresses.all(db.snapshot())) {
      for (var b : h.bindings().values()) {
        for (var a : b.addresses().available()) {
          if (a.ssl()
              && a.hostname().equalsIgnoreCase(local)
              && a.port() != null
              && !AddressToggles.isEnabled(b.addresses(), a)) {
            off.add(a.port());
          }
        }
      }
    }
    mdnsOff = Set.copyOf(off);
  }

  @Override
  public void close() {
    registrations.forEach(Registration::close);
    proxy.close();
  }
}
