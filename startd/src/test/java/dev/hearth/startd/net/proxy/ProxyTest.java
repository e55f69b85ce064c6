package dev.hearth.startd.net.proxy;

import static dev.hearth.startd.net.proxy.ProxyClients.exchange;
import static dev.hearth.startd.net.proxy.ProxyClients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy's routing and protocols, through real sockets on loopback. */
class ProxyTest {
  static final TestPki pki = new TestPki();
  static TestUpstream upA;
  static TestUpstream upB;
  static TestUpstream upIp;
  static Proxy proxy;
  static int tlsPort;
  static int plainHttpPort;
  static int redirectPort;
  static int deadPort;
  static HttpClient http1;
  static HttpClient http2;

  @BeforeAll
  static void start() throws IOException {
    upA = new TestUpstream("a");
    upB = new TestUpstream("b");
    upIp = new TestUpstream("ip");
    deadPort = freePort();
    tlsPort = freePort();
    plainHttpPort = freePort();
    redirectPort = freePort();
    Router router =
        c -> {
          if (!c.tls()) return new Route.Http(upA.address(), Set.of(), true);
          if (c.sni() == null) return new Route.Http(upIp.address(), Set.of("127.0.0.1"), true);
          return switch (c.sni()) {
            case "localhost", "a.test" ->
                new Route.Http(upA.address(), Set.of("localhost", "a.test"), true);
            case "b.test" -> new Route.Http(upB.address(), Set.of("b.test"), false);
            case "down.test" ->
                new Route.Http(
                    new InetSocketAddress("127.0.0.1", deadPort), Set.of("down.test"), true);
            default -> null;
          };
        };
    proxy = new Proxy(ProxyLimits.defaults(), router, pki, UpstreamSockets.DEFAULT);
    proxy.listen(
        Set.of(
            new Listener.Tls(new InetSocketAddress("127.0.0.1", tlsPort)),
            new Listener.Plain(new InetSocketAddress("127.0.0.1", plainHttpPort)),
            new Listener.RedirectToHttps(new InetSocketAddress("127.0.0.1", redirectPort), 8443)));
    http1 =
        HttpClient.newBuilder()
            .sslContext(pki.clientContext())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    http2 =
        HttpClient.newBuilder()
            .sslContext(pki.clientContext())
            .version(HttpClient.Version.HTTP_2)
            .build();
  }

  @AfterAll
  static void stop() {
    proxy.close();
    upA.close();
    upB.close();
    upIp.close();
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static HttpResponse<String> send(HttpClient client, String url, String... headers)
      throws Exception {
    var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void terminatesTlsWithTheRoutesCertificateForAClientTrustingOnlyTheRoot() throws Exception {
    var res = send(http1, "https://localhost:" + tlsPort + "/");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(res.body()).startsWith("hello from a\n");
    // keep-alive: a second request on the client's pooled connection
    assertThat(send(http1, "https://localhost:" + tlsPort + "/").body()).startsWith("hello from a");
  }

  @Test
  void negotiatesHttp2ByAlpnAndProxiesEachStreamAsHttp11() throws Exception {
    for (int i = 0; i < 3; i++) {
      var res = send(http2, "https://localhost:" + tlsPort + "/");
      assertThat(res.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(res.body()).startsWith("hello from a\n");
    }
  }

  @Test
  void curlVerifiesTheCertificateAndSpeaksHttp2() throws Exception {
    var root = java.nio.file.Files.createTempFile("root", ".pem");
    java.nio.file.Files.writeString(root, pki.ca.rootCert());
    var p =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--http2",
                "--cacert",
                root.toString(),
                "-o",
                "/dev/null",
                "-w",
                "%{http_version} %{http_code}",
                "https://localhost:" + tlsPort + "/")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("2 200");
    java.nio.file.Files.delete(root);
  }

  @Test
  void routesBySniToTwoUpstreamsOnOneListener() throws Exception {
    try (var a = ProxyClients.tls(pki.clientContext(), tlsPort, "a.test", "127.0.0.1");
        var b = ProxyClients.tls(pki.clientContext(), tlsPort, "b.test", "127.0.0.1")) {
      assertThat(exchange(a, get("a.test"))).contains("200 OK").contains("hello from a");
      assertThat(exchange(b, get("b.test"))).contains("200 OK").contains("hello from b");
    }
  }

  @Test
  void servesPipelinedRequestsInOrderOnOneConnection() throws Exception {
    try (var s = ProxyClients.tls(pki.clientContext(), tlsPort, "a.test", "127.0.0.1")) {
      String three =
          "GET /one HTTP/1.1\r\nHost: a.test\r\n\r\n"
              + "POST /two HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nabcde"
              + "GET /three HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
      String answers = exchange(s, three);
      assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(4);
      assertThat(answers.split("hello from a\n", -1)).hasSize(4);
    }
  }

  @Test
  void aClientWithoutSniIsRoutedWithNullSni() throws Exception {
    var res = send(http1, "https://127.0.0.1:" + tlsPort + "/");
    assertThat(res.body()).startsWith("hello from ip\n");
  }

  @Test
  void refusesWhenTheRouterReturnsNull() {
    assertThatThrownBy(
            () -> ProxyClients.tls(pki.clientContext(), tlsPort, "nobody.test", "127.0.0.1"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void replacesSpoofedForwardedHeaders() throws Exception {
    var res =
        send(
            http1,
            "https://localhost:" + tlsPort + "/",
            "X-Forwarded-For",
            "6.6.6.6",
            "X-Forwarded-Proto",
            "gopher",
            "Forwarded",
            "for=6.6.6.6");
    assertThat(res.body())
        .contains("x-forwarded-for: 127.0.0.1\n")
        .contains("x-forwarded-proto: https\n")
        .contains("x-forwarded-host: localhost:" + tlsPort + "\n")
        .contains("x-forwarded-port: " + tlsPort + "\n")
        .doesNotContain("6.6.6.6")
        .doesNotContain("gopher")
        .doesNotContain("forwarded: ");
  }

  @Test
  void proxiesPlainHttpOnAPlainListener() throws Exception {
    var res = send(http1, "http://127.0.0.1:" + plainHttpPort + "/");
    assertThat(res.body()).contains("hello from a").contains("x-forwarded-proto: http\n");
  }

  @Test
  void answers502WhenTheUpstreamIsDown() throws Exception {
    try (var s = ProxyClients.tls(pki.clientContext(), tlsPort, "down.test", "127.0.0.1")) {
      assertThat(exchange(s, get("down.test")))
          .startsWith("HTTP/1.1 502 Bad Gateway")
          .endsWith("502 upstream unreachable\n");
    }
  }

  @Test
  void anErrorAnswerToHeadHasNoBodySoTheNextAnswerOnTheConnectionIsReadRight() throws Exception {
    try (var s = ProxyClients.tls(pki.clientContext(), tlsPort, "down.test", "127.0.0.1")) {
      String all =
          exchange(
              s,
              "HEAD / HTTP/1.1\r\nHost: down.test\r\n\r\n"
                  + "GET / HTTP/1.1\r\nHost: down.test\r\nConnection: close\r\n\r\n");
      int second = all.indexOf("HTTP/1.1 502", 1);
      assertThat(all).startsWith("HTTP/1.1 502");
      assertThat(second).as("two answers: %s", all).isPositive();
      assertThat(all.substring(0, second)).as("no body after the HEAD answer").endsWith("\r\n\r\n");
      assertThat(all.substring(second)).contains("upstream unreachable");
    }
  }

  @Test
  void answers431ToAHeadOverTheLimitAndCloses() throws Exception {
    try (var s = ProxyClients.tls(pki.clientContext(), tlsPort, "a.test", "127.0.0.1")) {
      String big = "GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n";
      assertThat(exchange(s, big)).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
    }
  }

  @Test
  void redirectsPlainHttpToHttpsWithTheHostWithoutItsPort() throws Exception {
    try (var s = ProxyClients.plain(redirectPort, "127.0.0.1")) {
      String res = exchange(s, "GET /a/b?c=d HTTP/1.1\r\nHost: box.local:8080\r\n\r\n");
      assertThat(res)
          .startsWith("HTTP/1.1 301 Moved Permanently")
          .contains("location: https://box.local:8443/a/b?c=d\r\n");
    }
    try (var s = ProxyClients.plain(redirectPort, "127.0.0.1")) {
      String res = exchange(s, "POST /x HTTP/1.1\r\nHost: box.local\r\nContent-Length: 0\r\n\r\n");
      assertThat(res).startsWith("HTTP/1.1 308 Permanent Redirect");
    }
    try (var s = ProxyClients.plain(redirectPort, "127.0.0.1")) {
      String res = exchange(s, "GET / HTTP/1.1\r\nHost: evil.com/@x\r\n\r\n");
      assertThat(res).startsWith("HTTP/1.1 400 Bad Request");
    }
  }

  @Test
  void passthroughRelaysTheClientsTlsSoTheUpstreamSeesTheOriginalSni() throws Exception {
    var upstreamTls = serverContext("pass.test");
    try (var server =
            (SSLServerSocket)
                upstreamTls
                    .getServerSocketFactory()
                    .createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        var p =
            new Proxy(
                ProxyLimits.defaults(),
                c -> new Route.Passthrough((InetSocketAddress) server.getLocalSocketAddress()),
                pki,
                UpstreamSockets.DEFAULT)) {
      int port = freePort();
      p.listen(Set.of(new Listener.Tls(new InetSocketAddress("127.0.0.1", port))));
      Thread.ofVirtual()
          .start(() -> {
            try (var s = (SSLSocket) server.accept()) {
              s.startHandshake();
              var names = ((ExtendedSSLSession) s.getSession()).getRequestedServerNames();
              String sni = ((SNIHostName) names.getFirst()).getAsciiName();
              s.getOutputStream().write(("sni=" + sni).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          });
      try (var c = ProxyClients.tls(pki.clientContext(), port, "pass.test", "127.0.0.1")) {
        assertThat(ProxyClients.readAll(c.getInputStream())).isEqualTo("sni=pass.test");
      }
    }
  }

  /**
   * An HTTP/1.1 upstream that answers the first request on each connection ("connection N",
   * keep-alive) and closes the connection, unanswered, at the second: the race of an upstream that
   * drops an idle keep-alive connection just as the proxy reuses it, made certain.
   */
  static java.net.ServerSocket oneRequestPerConnectionUpstream() throws IOException {
    var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    var connections = new java.util.concurrent.atomic.AtomicInteger();
    Thread.ofVirtual()
        .start(() -> {
          while (!server.isClosed()) {
            try {
              var s = server.accept();
              int n = connections.incrementAndGet();
              Thread.ofVirtual()
                  .start(() -> {
                    try (s) {
                      var in = s.getInputStream();
                      readHead(in);
                      byte[] body = ("connection " + n + "\n").getBytes(StandardCharsets.US_ASCII);
                      s.getOutputStream()
                          .write(
                              ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                                  .getBytes(StandardCharsets.US_ASCII));
                      s.getOutputStream().write(body);
                      readHead(in); // the next request: closed without an answer
                    } catch (IOException e) {
                      // the proxy went away
                    }
                  });
            } catch (IOException closed) {
              return;
            }
          }
        });
    return server;
  }

  private static void readHead(java.io.InputStream in) throws IOException {
    for (int matched = 0, b; matched < 4 && (b = in.read()) >= 0; )
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
  }

  /** Two requests on one keep-alive client connection, through a proxy to {@code upstream}. */
  static String[] twoRequests(java.net.ServerSocket upstream, String method) throws Exception {
    try (var p =
        new Proxy(
            ProxyLimits.defaults(),
            c ->
                new Route.Http(
                    (InetSocketAddress) upstream.getLocalSocketAddress(),
                    Set.of("localhost"),
                    false),
            pki,
            UpstreamSockets.DEFAULT)) {
      int port = freePort();
      p.listen(Set.of(new Listener.Tls(new InetSocketAddress("127.0.0.1", port))));
      try (var s = ProxyClients.tls(pki.clientContext(), port, "localhost", "127.0.0.1")) {
        String req = method + " / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        String first = ProxyClients.readResponse(s.getInputStream());
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        String second = ProxyClients.readResponse(s.getInputStream());
        return new String[] {first, second};
      }
    } finally {
      upstream.close();
    }
  }

  @Test
  void sendsAnIdempotentRequestAgainWhenAPooledUpstreamConnectionClosesOnReuse() throws Exception {
    String[] answers = twoRequests(oneRequestPerConnectionUpstream(), "GET");
    assertThat(answers[0]).startsWith("HTTP/1.1 200 OK").endsWith("connection 1\n");
    assertThat(answers[1]).startsWith("HTTP/1.1 200 OK").endsWith("connection 2\n");
  }

  @Test
  void answers502ToAPostWhoseReusedUpstreamConnectionClosed() throws Exception {
    String[] answers = twoRequests(oneRequestPerConnectionUpstream(), "POST");
    assertThat(answers[0]).startsWith("HTTP/1.1 200 OK").endsWith("connection 1\n");
    assertThat(answers[1])
        .startsWith("HTTP/1.1 502 Bad Gateway")
        .endsWith("502 upstream closed the connection\n");
  }

  /** A Jetty WebSocket upstream whose {@code /echo} sends every message back as it came. */
  static org.eclipse.jetty.server.Server webSocketEcho() throws Exception {
    var server = new org.eclipse.jetty.server.Server();
    var connector = new org.eclipse.jetty.server.ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    var context = new org.eclipse.jetty.server.handler.ContextHandler("/");
    var websockets =
        org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler.from(
            server,
            context,
            container -> {
              container.setMaxBinaryMessageSize(4 << 20);
              container.addMapping("/echo", (request, response, callback) -> new Echo());
            });
    context.setHandler(websockets);
    server.setHandler(context);
    server.start();
    return server;
  }

  public static final class Echo implements Session.Listener.AutoDemanding {
    private @org.jspecify.annotations.Nullable Session session;

    @Override
    public void onWebSocketOpen(Session s) {
      session = s;
    }

    @Override
    public void onWebSocketText(String text) {
      java.util.Objects.requireNonNull(session).sendText(text, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback done) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
      done.succeed();
      java.util.Objects.requireNonNull(session).sendBinary(copy, Callback.NOOP);
    }
  }

  /** Collects whole messages (their parts joined) from a JDK WebSocket. */
  static final class Collector implements WebSocket.Listener {
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        messages.add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      binary.writeBytes(b);
      if (last) {
        messages.add(binary.toByteArray());
        binary.reset();
      }
      ws.request(1);
      return null;
    }

    Object next() throws InterruptedException {
      Object m = messages.poll(10, TimeUnit.SECONDS);
      if (m == null) throw new AssertionError("no WebSocket message within 10 s");
      return m;
    }
  }

  @Test
  void relaysAWebSocketOverTlsBothWaysAfterTheUpgrade() throws Exception {
    var upstream = webSocketEcho();
    int upstreamPort =
        ((org.eclipse.jetty.server.ServerConnector) upstream.getConnectors()[0]).getLocalPort();
    try (var p =
        new Proxy(
            ProxyLimits.defaults(),
            c ->
                new Route.Http(
                    new InetSocketAddress("127.0.0.1", upstreamPort), Set.of("localhost"), true),
            pki,
            UpstreamSockets.DEFAULT)) {
      int port = freePort();
      p.listen(Set.of(new Listener.Tls(new InetSocketAddress("127.0.0.1", port))));
      var collector = new Collector();
      WebSocket ws =
          http1
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create("wss://localhost:" + port + "/echo"), collector)
              .get(10, TimeUnit.SECONDS);
      ws.sendText("hello through the proxy", true).get(10, TimeUnit.SECONDS);
      assertThat(collector.next()).isEqualTo("hello through the proxy");
      byte[] big = new byte[1 << 20];
      new java.util.Random(11).nextBytes(big);
      ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
      assertThat((byte[]) collector.next()).isEqualTo(big);
      ws.sendText("after the binary", true).get(10, TimeUnit.SECONDS);
      assertThat(collector.next()).isEqualTo("after the binary");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    } finally {
      upstream.stop();
    }
  }

  private static SSLContext serverContext(String name) throws Exception {
    var cert = pki.certificate(Set.of(name));
    var ca = pki.ca;
    var certs =
        new dev.hearth.startd.db.LocalCerts(
            ca.rootKey(), ca.rootCert(), cert.keyPem(), cert.chainPem());
    var ks = dev.hearth.startd.cert.LocalCa.keyStore(certs, "pw".toCharArray());
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    var ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
