package dev.hearth.startd.net.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The idle and header timeouts on keep-alive connections: what counts as activity, and from when
 * the next request's head is timed.
 */
class ProxyTimeoutsTest {
  final TestPki pki = new TestPki();
  TestUpstream upstream;
  Proxy proxy;

  @AfterEach
  void close() {
    if (proxy != null) proxy.close();
    if (upstream != null) upstream.close();
  }

  /**
   * A proxy with {@code limits} in front of a test upstream; before it, one exchange through a
   * proxy with the default limits, because a cold JVM's first TLS handshake can alone take longer
   * than the short timeouts tested here.
   */
  int proxy(ProxyLimits limits) throws IOException {
    upstream = new TestUpstream("a");
    InetSocketAddress up = upstream.address();
    try (var warm =
        new Proxy(
            ProxyLimits.defaults(),
            c -> new Route.Http(up, Set.of("a.test"), true),
            pki,
            UpstreamSockets.DEFAULT)) {
      int port = ProxyTest.freePort();
      warm.listen(Set.of(new Listener.Tls(new InetSocketAddress("127.0.0.1", port))));
      try (SSLSocket s = ProxyClients.tls(pki.clientContext(), port, "a.test", "127.0.0.1")) {
        assertThat(keepAliveGet(s)).contains("hello from a");
      }
    }
    proxy =
        new Proxy(
            limits, c -> new Route.Http(up, Set.of("a.test"), true), pki, UpstreamSockets.DEFAULT);
    int port = ProxyTest.freePort();
    proxy.listen(Set.of(new Listener.Tls(new InetSocketAddress("127.0.0.1", port))));
    return port;
  }

  @Test
  void anIdleKeepAliveConnectionClosesAfterTheIdleTimeoutWhileABusyOneStaysOpen() throws Exception {
    int port = proxy(ProxyLimits.defaults().withIdleTimeout(Duration.ofSeconds(1)));
    try (SSLSocket idle = ProxyClients.tls(pki.clientContext(), port, "a.test", "127.0.0.2");
        SSLSocket busy = ProxyClients.tls(pki.clientContext(), port, "a.test", "127.0.0.3")) {
      assertThat(keepAliveGet(idle)).contains("hello from a");
      long start = System.nanoTime();
      for (int i = 0; i < 8; i++) { // 2.4 s of a request every 300 ms on one connection
        assertThat(keepAliveGet(busy)).contains("hello from a");
        Thread.sleep(300);
      }
      assertThat(idle.getInputStream().read()).isEqualTo(-1); // closed by then, or soon
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(keepAliveGet(busy)).contains("hello from a");
    }
    // The pooled upstream connections are idle too: closed after the same timeout.
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().upstreamConnections() == 0);
  }

  @Test
  void theNextHeadIsTimedFromItsFirstByteNotFromTheLastResponse() throws Exception {
    int port = proxy(ProxyLimits.defaults().withHeaderTimeout(Duration.ofSeconds(1)));
    try (SSLSocket s = ProxyClients.tls(pki.clientContext(), port, "a.test", "127.0.0.4")) {
      assertThat(keepAliveGet(s)).contains("hello from a");
      Thread.sleep(1_500); // longer than the header timeout, but no head has begun
      assertThat(keepAliveGet(s)).contains("hello from a");
      // A head sent in two parts within the timeout is served.
      send(s, "GET / HTTP/1.1\r\nHost: a.test\r\n");
      Thread.sleep(400);
      send(s, "\r\n");
      assertThat(ProxyClients.readResponse(s.getInputStream())).contains("hello from a");
      // A head left incomplete is cut at the timeout.
      send(s, "GET / HTTP/1.1\r\nHost: a.test\r\n");
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThan(Duration.ofMillis(800))
          .isLessThan(Duration.ofSeconds(3));
    }
  }

  private static String keepAliveGet(Socket s) throws IOException {
    send(s, "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
    return ProxyClients.readResponse(s.getInputStream());
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }
}
