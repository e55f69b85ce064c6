package dev.hearth.startd.net.proxy;

import dev.hearth.startd.cert.LocalCa;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The proxy as {@code scripts/bench-proxy.sh} runs it beside nginx: one TLS listener on a free
 * 127.0.0.1 port, every connection routed (HTTP, forwarded headers on, as startd routes a service
 * interface) to the plain HTTP upstream at {@code 127.0.0.1:UPSTREAM_PORT}. The certificate (ECDSA
 * P-256 for localhost and 127.0.0.1, from a fresh {@link LocalCa}) is written to {@code
 * DIR/cert.pem} and {@code DIR/key.pem} so that nginx serves the same one; then one line {@code
 * port N} is printed and the proxy runs until killed. {@code -Dhearth.proxy.transport=epoll} (or
 * {@code nio}, {@code io_uring}) picks the event loops' transport, for comparisons.
 *
 * <p>Run: {@code java -Xmx128m -XX:+UseSerialGC -cp … dev.hearth.startd.net.proxy.ProxyBenchServer
 * UPSTREAM_PORT DIR}
 */
public final class ProxyBenchServer {
  private ProxyBenchServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ProxyBenchServer UPSTREAM_PORT DIR");
      System.exit(2);
    }
    var upstream = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
    Path dir = Path.of(args[1]);
    var random = new SecureRandom();
    var ca = LocalCa.create("hearth-bench", random, Instant.now());
    var issued = LocalCa.issue(ca, List.of("localhost", "127.0.0.1"), random, Instant.now());
    Files.writeString(dir.resolve("cert.pem"), issued.chainPem());
    Files.writeString(dir.resolve("key.pem"), issued.keyPem());
    var certificate =
        new Certificate(issued.keyPem(), issued.chainPem(), TestPki.notAfter(issued.chainPem()));
    Set<String> names = Set.of("localhost", "127.0.0.1");
    int port;
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var proxy =
        new Proxy(
            ProxyLimits.defaults(),
            c -> new Route.Http(upstream, names, true),
            requested -> certificate,
            UpstreamSockets.DEFAULT,
            transport());
    proxy.listen(Set.of(new Listener.Tls(new InetSocketAddress("127.0.0.1", port))));
    System.out.println("port " + port);
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }

  /** The best one, or the one {@code -Dhearth.proxy.transport=io_uring|epoll|nio} names. */
  private static UpstreamSockets.Transport transport() {
    String named = System.getProperty("hearth.proxy.transport");
    return named == null
        ? UpstreamSockets.Transport.best()
        : UpstreamSockets.Transport.valueOf(named.toUpperCase(java.util.Locale.ROOT));
  }
}
