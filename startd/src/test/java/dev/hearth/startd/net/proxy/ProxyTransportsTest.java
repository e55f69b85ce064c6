package dev.hearth.startd.net.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each event-loop transport carries the same traffic: io_uring is what the daemon runs here, epoll
 * and NIO are its fallbacks on kernels that forbid io_uring. {@link ProxyTest} and the framing
 * tests cover the protocols on the best transport; this checks the others move real bytes too.
 */
class ProxyTransportsTest {
  static final TestPki pki = new TestPki();
  static TestUpstream upstream;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("t");
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @ParameterizedTest
  @EnumSource(UpstreamSockets.Transport.class)
  void carriesHttp1KeepAliveHttp2AndALargeBody(UpstreamSockets.Transport transport)
      throws Exception {
    int tls = ProxyTest.freePort();
    int plain = ProxyTest.freePort();
    Router router = c -> new Route.Http(upstream.address(), Set.of("localhost"), true);
    try (var proxy =
        new Proxy(ProxyLimits.defaults(), router, pki, UpstreamSockets.DEFAULT, transport)) {
      assertThat(proxy.transport()).isEqualTo(transport);
      proxy.listen(
          Set.of(
              new Listener.Tls(new InetSocketAddress("127.0.0.1", tls)),
              new Listener.Plain(new InetSocketAddress("127.0.0.1", plain))));
      var http1 = client(HttpClient.Version.HTTP_1_1);
      for (int i = 0; i < 3; i++) { // one connection, kept alive; the upstream's is pooled
        var res = get(http1, "https://localhost:" + tls + "/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(new String(res.body())).startsWith("hello from t\nx-forwarded-");
      }
      var h2 = get(client(HttpClient.Version.HTTP_2), "https://localhost:" + tls + "/");
      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(new String(h2.body())).startsWith("hello from t\n");
      var big = get(http1, "https://localhost:" + tls + "/big?mib=16");
      assertThat(big.body()).hasSize(16 << 20);
      var overPlain = get(http1, "http://127.0.0.1:" + plain + "/");
      assertThat(new String(overPlain.body())).startsWith("hello from t\n");
      assertThat(proxy.stats().upstreamConnections()).isPositive();
    }
  }

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().sslContext(pki.clientContext()).version(version).build();
  }

  private static HttpResponse<byte[]> get(HttpClient client, String url) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
