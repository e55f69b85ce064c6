package dev.hearth.startd.net.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hearth.startd.net.proxy.RawUpstream.Head;
import dev.hearth.startd.net.proxy.RawUpstream.Message;
import dev.hearth.startd.net.proxy.RawUpstream.Reply;
import dev.hearth.startd.net.proxy.RawUpstream.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 request smuggling and response splitting, for real (RFC 9112 §2.2, §6, §7; RFC 9110
 * §7.6.1): raw bytes from a hostile client through the proxy to a {@link RawUpstream}, and hostile
 * raw responses from it back. Only what crosses the wire is asserted (statuses, bytes, which
 * upstream connection carried what, who closed), so the tests hold for any implementation of the
 * proxy's HTTP/1.1 path.
 *
 * <p>One proxy for the class; a fresh upstream, at a new address, for each test: the proxy pools
 * upstream connections by address, and a connection a lax proxy kept from one test's hostile
 * upstream would otherwise carry its bytes into the next test. A failing assertion here that names
 * no upstream request is a proxy behaviour; each test's message says what was observed.
 */
class ProxyFramingTest {
  /** Every socket read: a wait that ends a test that would hang, not a bound on speed. */
  static final int TIMEOUT_MS = RawProxyClient.TIMEOUT_MS;

  /** How long the proxy may take to close an upstream connection it must not reuse. */
  static final int CLOSE_SECONDS = 5;

  static final String HOST = "a.test";
  static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a.test\r\n\r\n";
  static final String INJECTED = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\ninjectd";

  static final TestPki pki = new TestPki();
  static volatile @Nullable RawUpstream current; // this test's upstream, for the router
  static Proxy proxy;
  static int plainPort;
  static int tlsPort;
  RawUpstream upstream;

  @BeforeAll
  static void start() throws IOException {
    plainPort = ProxyTest.freePort();
    tlsPort = ProxyTest.freePort();
    proxy =
        new Proxy(
            ProxyLimits.defaults(),
            c -> {
              RawUpstream u = current;
              return u == null ? null : new Route.Http(u.address(), Set.of(HOST), true);
            },
            pki,
            UpstreamSockets.DEFAULT);
    proxy.listen(
        Set.of(
            new Listener.Plain(new InetSocketAddress("127.0.0.1", plainPort)),
            new Listener.Tls(new InetSocketAddress("127.0.0.1", tlsPort))));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @BeforeEach
  void freshUpstream() throws IOException {
    upstream = new RawUpstream();
    current = upstream;
  }

  @AfterEach
  void closeUpstream() {
    current = null;
    upstream.close();
  }

  // ---- request side: a hostile client ----

  static Stream<Arguments> contentLengthWithTransferEncoding() {
    String clTe = "0\r\n\r\n" + SMUGGLED;
    return Stream.of(
        arguments(
            "Content-Length then Transfer-Encoding (CL.TE)",
            "POST /a HTTP/1.1\r\nHost: a.test\r\nContent-Length: "
                + clTe.length()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + clTe),
        arguments(
            "Transfer-Encoding then Content-Length (TE.CL)",
            "POST /a HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 3"
                + "\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"),
        arguments(
            "Content-Length: 0 with Transfer-Encoding",
            "POST /a HTTP/1.1\r\nHost: a.test\r\nContent-Length: 0\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contentLengthWithTransferEncoding")
  void refusesContentLengthWithTransferEncoding(String name, String request) throws Exception {
    assertRefused(plain(), request, 400);
  }

  @Test
  void refusesContentLengthWithTransferEncodingOverTls() throws Exception {
    String body = "0\r\n\r\n" + SMUGGLED;
    assertRefused(
        tls(),
        "POST /a HTTP/1.1\r\nHost: a.test\r\nContent-Length: "
            + body.length()
            + "\r\nTransfer-Encoding: chunked\r\n\r\n"
            + body,
        400);
  }

  static Stream<Arguments> badContentLengths() {
    return Stream.of(
            arguments("two equal lines", "Content-Length: 5\r\nContent-Length: 5"),
            arguments("two different lines", "Content-Length: 5\r\nContent-Length: 6"),
            arguments("a list of equal values", "Content-Length: 5, 5"),
            arguments("a plus sign", "Content-Length: +5"),
            arguments("a minus sign", "Content-Length: -1"),
            arguments("hex", "Content-Length: 0x10"),
            arguments("two numbers", "Content-Length: 5 5"),
            arguments("empty", "Content-Length: "),
            // 2^64 + 5: a parser that wraps reads 5
            arguments("20 digits that wrap to 5", "Content-Length: 18446744073709551621"))
        .map(a ->
            arguments(
                a.get()[0],
                "POST /a HTTP/1.1\r\nHost: a.test\r\n" + a.get()[1] + "\r\n\r\nhello" + SMUGGLED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badContentLengths")
  void refusesAContentLengthThatIsNotOnePlainNumber(String name, String request) throws Exception {
    assertRefused(plain(), request, 400);
  }

  static Stream<Arguments> badTransferEncodings() {
    return Stream.of(
            arguments("gzip, chunked", "Transfer-Encoding: gzip, chunked"),
            arguments("chunked, gzip", "Transfer-Encoding: chunked, gzip"),
            arguments("xchunked", "Transfer-Encoding: xchunked"),
            arguments(
                "chunked on two lines", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"))
        .map(a ->
            arguments(
                a.get()[0],
                "POST /a HTTP/1.1\r\nHost: a.test\r\n"
                    + a.get()[1]
                    + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + SMUGGLED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTransferEncodings")
  void refusesATransferEncodingOtherThanOneChunked(String name, String request) throws Exception {
    assertRefused(plain(), request, 400, 501);
  }

  @ParameterizedTest(name = "Transfer-Encoding:{0}")
  @ValueSource(strings = {" CHUNKED", "\tchunked", " Chunked"})
  void acceptsChunkedInAnyCaseAndAfterATab(String value) throws Exception {
    try (RawProxyClient c = plain()) {
      c.send(
          "POST /te HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding:"
              + value
              + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      Message answer = c.response("POST");
      var soft = new SoftAssertions();
      soft.assertThat(answer.status()).as("the answer: %s", answer).isEqualTo(200);
      Request r = upstream.request("/te");
      soft.assertThat(r.message().bodyText()).as("the body upstream: %s", r).isEqualTo("hello");
      assertWellFramed(soft, r);
      soft.assertAll();
    }
  }

  @Test
  void refusesChunkedOnHttp10() throws Exception {
    assertRefused(
        plain(),
        "POST /a HTTP/1.0\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\n",
        400);
  }

  static Stream<Arguments> malformedHeads() {
    String ok = "GET / HTTP/1.1\r\nHost: a.test\r\n";
    return Stream.of(
        arguments("obs-fold with a space", ok + "X-A: 1\r\n folded\r\n\r\n"),
        arguments("obs-fold with a tab", ok + "X-A: 1\r\n\tfolded\r\n\r\n"),
        arguments(
            "obs-fold hiding Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: a.test\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n"
                + "Content-Length: 5\r\n\r\nhello"),
        arguments("a space before the first header", "GET / HTTP/1.1\r\n Host: a.test\r\n\r\n"),
        arguments(
            "Transfer-Encoding with a space before the colon",
            "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding : chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"),
        arguments("Host with a space before the colon", "GET / HTTP/1.1\r\nHost : a.test\r\n\r\n"),
        arguments("a bare CR inside a value", ok + "X-A: a\rb\r\n\r\n"),
        arguments("a bare CR ending a line", ok + "X-A: a\r\rX-B: b\r\n\r\n"),
        arguments("a NUL in a value", ok + "X-A: a\0b\r\n\r\n"),
        arguments("a line without a colon", ok + "NoColonHere\r\n\r\n"),
        arguments(
            "a request line with a fourth part", "GET / HTTP/1.1 extra\r\nHost: a.test\r\n\r\n"),
        arguments("a request line without a version", "GET /\r\nHost: a.test\r\n\r\n"),
        arguments("no Host on HTTP/1.1", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n"),
        arguments("two Host lines", ok + "Host: b.test\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedHeads")
  void refusesAMalformedHead(String name, String request) throws Exception {
    assertRefused(plain(), request, 400);
  }

  static Stream<Arguments> brokenChunkedBodies() {
    return Stream.of(
        arguments("chunk size zz", "zz\r\nhello\r\n0\r\n\r\n"),
        arguments("chunk size 0x5", "0x5\r\nhello\r\n0\r\n\r\n"),
        arguments("chunk size -1", "-1\r\nhello\r\n0\r\n\r\n"),
        // 2^68 + 5: a parser that wraps reads 5
        arguments("chunk size of 17 hex digits", "10000000000000005\r\nhello\r\n0\r\n\r\n"),
        arguments("chunk data longer than its size", "3\r\nabcdef\r\n0\r\n\r\n"),
        arguments("a bare LF after the chunk size", "5\nhello\r\n0\r\n\r\n"),
        arguments("a bare LF after the chunk data", "5\r\nhello\n0\r\n\r\n"),
        arguments("a bare LF after the last chunk", "5\r\nhello\r\n0\n\r\n"),
        arguments("a bare LF ending the trailers", "5\r\nhello\r\n0\r\n\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenChunkedBodies")
  void aBrokenChunkedBodyEndsTheConnectionAndSmugglesNothing(String name, String chunks)
      throws Exception {
    assertSmuggledNothing(plain(), chunks);
  }

  @Test
  void chunkDataLongerThanItsSizeSmugglesNothingOverTls() throws Exception {
    assertSmuggledNothing(tls(), "3\r\nabcdef\r\n0\r\n\r\n");
  }

  @Test
  void forwardsAChunkedBodyWithATrailerAndThePipelinedRequestAfterIt() throws Exception {
    try (RawProxyClient c = plain()) {
      c.send(
          "POST /first HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
              + "GET /second HTTP/1.1\r\nHost: a.test\r\nX-Second: 2\r\n\r\n");
      Message first = c.response("POST");
      Message second = c.response("GET");
      var soft = new SoftAssertions();
      soft.assertThat(first.bodyText()).as("first answer: %s", first).endsWith(" POST /first 11\n");
      soft.assertThat(second.bodyText())
          .as("second answer: %s", second)
          .endsWith(" GET /second 0\n");
      List<Request> got = upstream.requests();
      soft.assertThat(got)
          .as("requests upstream")
          .extracting(Request::target)
          .containsExactly("/first", "/second");
      if (got.size() == 2) {
        soft.assertThat(got.get(0).message().bodyText())
            .as("%s", got.get(0))
            .isEqualTo("hello world");
        soft.assertThat(got.get(1).method()).as("%s", got.get(1)).isEqualTo("GET");
        soft.assertThat(got.get(1).head().values("X-Second"))
            .as("%s", got.get(1))
            .containsExactly("2");
        soft.assertThat(got.get(1).body()).as("%s", got.get(1)).isEmpty();
        got.forEach(r -> assertWellFramed(soft, r));
      }
      soft.assertAll();
    }
  }

  @Test
  void forwardsTwoPipelinedPostsWithTheirBodies() throws Exception {
    try (RawProxyClient c = plain()) {
      c.send(
          "POST /one HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhello"
              + "POST /two HTTP/1.1\r\nHost: a.test\r\nContent-Length: 6\r\n\r\nworld!");
      Message one = c.response("POST");
      Message two = c.response("POST");
      var soft = new SoftAssertions();
      soft.assertThat(one.bodyText()).as("first answer: %s", one).endsWith(" POST /one 5\n");
      soft.assertThat(two.bodyText()).as("second answer: %s", two).endsWith(" POST /two 6\n");
      List<Request> got = upstream.requests();
      soft.assertThat(got)
          .as("requests upstream")
          .extracting(Request::target)
          .containsExactly("/one", "/two");
      soft.assertThat(got)
          .as("bodies upstream")
          .extracting(r -> r.message().bodyText())
          .containsExactly("hello", "world!");
      got.forEach(r -> assertWellFramed(soft, r));
      soft.assertAll();
    }
  }

  @ParameterizedTest(name = "over TLS: {0}")
  @ValueSource(booleans = {false, true})
  void removesHopByHopHeadersAndReplacesForwardedOnes(boolean overTls) throws Exception {
    try (RawProxyClient c = overTls ? tls() : plain()) {
      c.send(
          "GET /hop HTTP/1.1\r\nHost: a.test\r\n"
              + "Connection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
              + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\n"
              + "X-Forwarded-For: 6.6.6.6\r\nx-forwarded-for: 7.7.7.7\r\nX-Forwarded-Proto: gopher\r\n"
              + "X-Forwarded-Host: evil.test\r\nX-Forwarded-Port: 1\r\nForwarded: for=6.6.6.6\r\n\r\n");
      Message answer = c.response("GET");
      var soft = new SoftAssertions();
      soft.assertThat(answer.status()).as("the answer: %s", answer).isEqualTo(200);
      Head h = upstream.request("/hop").head();
      for (String gone :
          List.of("X-Secret", "Keep-Alive", "Proxy-Connection", "TE", "Upgrade", "Forwarded"))
        soft.assertThat(h.values(gone)).as("%s upstream: %s", gone, h).isEmpty();
      List<String> tokens = new ArrayList<>();
      for (String v : h.values("Connection"))
        for (String t : v.split(",")) tokens.add(t.strip().toLowerCase(Locale.ROOT));
      soft.assertThat(tokens).as("Connection tokens upstream: %s", h).doesNotContain("x-secret");
      soft.assertThat(h.values("X-Forwarded-For")).as("%s", h).containsExactly("127.0.0.1");
      soft.assertThat(h.values("X-Forwarded-Proto"))
          .as("%s", h)
          .containsExactly(overTls ? "https" : "http");
      soft.assertThat(h.values("X-Forwarded-Host")).as("%s", h).containsExactly(HOST);
      soft.assertThat(h.values("X-Forwarded-Port"))
          .as("%s", h)
          .containsExactly(Integer.toString(overTls ? tlsPort : plainPort));
      soft.assertAll();
    }
  }

  // ---- response side: a hostile upstream ----

  static Stream<Arguments> malformedResponses() {
    return Stream.of(
        arguments(
            "Content-Length and Transfer-Encoding",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"),
        arguments(
            "two different Content-Lengths",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello\r\n"),
        arguments(
            "a bare CR in a header line",
            "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 5\r\n\r\nhello"),
        arguments(
            "a bare CR hiding a header",
            "HTTP/1.1 200 OK\r\nX-A: a\rContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello"),
        arguments("a status line without a code", "HTTP/1.1 OK\r\nContent-Length: 5\r\n\r\nhello"),
        arguments("a status line of garbage", "hello there\r\nContent-Length: 5\r\n\r\nhello"),
        arguments(
            "a status code of four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 5\r\n\r\nhello"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedResponses")
  void aMalformedResponseIs502AndItsConnectionIsNotReused(String name, String response)
      throws Exception {
    upstream.script(r -> r.target().equals("/poison") ? Reply.of(response) : Reply.ok(r));
    try (RawProxyClient c =
        plain()) { // open until the end: its close must not be what ends the upstream
      c.send(get("/poison"));
      RawProxyClient.Answer answer = c.answer("GET");
      Request poisoned = upstream.request("/poison");
      Message next = onNewClient("/next");
      var soft = new SoftAssertions();
      boolean is502 =
          answer.message() != null
              && answer.message().head().startLine().startsWith("HTTP/1.1 502");
      soft.assertThat(is502).as("a 502 status line; got %s", answer).isTrue();
      assertNotReused(soft, poisoned, next, "/next", is502);
      soft.assertAll();
    }
  }

  static Stream<Arguments> responsesFollowedByAnother() {
    List<Arguments> out = new ArrayList<>();
    for (boolean pipelined : new boolean[] {false, true}) {
      out.add(
          arguments(
              "a response after a Content-Length body",
              "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + INJECTED,
              200,
              pipelined));
      out.add(
          arguments(
              "a response after a 204",
              "HTTP/1.1 204 No Content\r\n\r\n" + INJECTED,
              204,
              pipelined));
      out.add(
          arguments(
              "body bytes after a 204", "HTTP/1.1 204 No Content\r\n\r\ninjectd", 204, pipelined));
      out.add(
          arguments(
              "a response after a 304",
              "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n" + INJECTED,
              304,
              pipelined));
      out.add(
          arguments(
              "body bytes after a 304 with a Content-Length",
              "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\ninjectd",
              304,
              pipelined));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, pipelined: {3}")
  @MethodSource("responsesFollowedByAnother")
  void bytesAfterAResponseNeverAnswerTheNextRequest(
      String name, String response, int status, boolean pipelined) throws Exception {
    upstream.script(r -> r.target().equals("/first") ? Reply.of(response) : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      Message first;
      RawProxyClient.Answer second;
      if (pipelined) {
        c.send(get("/first") + get("/second"));
        first = c.response("GET");
        second = c.answer("GET");
      } else {
        c.send(get("/first"));
        first = c.response("GET");
        c.send(get("/second"));
        second = c.answer("GET");
      }
      Request poisoned = upstream.request("/first");
      var soft = new SoftAssertions();
      soft.assertThat(first.status()).as("first answer: %s", first).isEqualTo(status);
      if (status == 200) soft.assertThat(first.bodyText()).as("%s", first).isEqualTo("hello");
      soft.assertThat(second.status()).as("second answer: %s", second).isEqualTo(200);
      if (second.message() != null)
        soft.assertThat(second.message().bodyText())
            .as("second answer: %s", second)
            .doesNotContain("injectd")
            .endsWith(" GET /second 0\n");
      assertNotReused(soft, poisoned, second.message(), "/second", true);
      soft.assertAll();
    }
  }

  @ParameterizedTest(name = "pipelined: {0}")
  @ValueSource(booleans = {false, true})
  void aHeadAnswerWithContentLengthHasNoBodyAndTheNextRequestIsServed(boolean pipelined)
      throws Exception {
    upstream.script(r ->
        r.method().equals("HEAD")
            ? Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      String head = "HEAD /h HTTP/1.1\r\nHost: a.test\r\n\r\n";
      Message first;
      RawProxyClient.Answer second;
      if (pipelined) {
        c.send(head + get("/after"));
        first = c.response("HEAD");
        second = c.answer("GET");
      } else {
        c.send(head);
        first = c.response("HEAD");
        c.send(get("/after"));
        second = c.answer("GET");
      }
      var soft = new SoftAssertions();
      soft.assertThat(first.status()).as("HEAD answer: %s", first).isEqualTo(200);
      soft.assertThat(first.head().values("Content-Length"))
          .as("HEAD answer: %s", first)
          .containsExactly("100");
      soft.assertThat(second.status()).as("next answer: %s", second).isEqualTo(200);
      if (second.message() != null)
        soft.assertThat(second.message().bodyText())
            .as("next answer: %s", second)
            .endsWith(" GET /after 0\n");
      soft.assertAll();
    }
  }

  @Test
  void aFloodOf1xxAnswersIsCutWithA502() throws Exception {
    upstream.script(r ->
        r.target().equals("/flood")
            ? Reply.of("HTTP/1.1 100 Continue\r\n\r\n".repeat(50) + "HTTP/1.1 200 OK\r\n\r\n")
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      c.send(get("/flood"));
      List<Integer> statuses = new ArrayList<>();
      for (Message m; statuses.size() < 60; ) {
        statuses.add((m = c.response("GET")).status());
        if (m.status() >= 200) break;
      }
      assertThat(statuses).as("answers").endsWith(502).hasSizeLessThanOrEqualTo(9);
      assertThat(c.closeProblem()).as("closed after the 502").isNull();
    }
  }

  @Test
  void anUpstreamConnectionIsNotReusedAfterAHeadAnswer() throws Exception {
    // A server that sends a body after a HEAD answer may send it late, into someone's next request.
    upstream.script(r ->
        r.method().equals("HEAD")
            ? Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      c.send("HEAD /h HTTP/1.1\r\nHost: a.test\r\n\r\n");
      c.response("HEAD");
      c.send(get("/after-head"));
      assertThat(c.response("GET").status()).isEqualTo(200);
    }
    int head = upstream.request("/h").connection();
    assertThat(upstream.request("/after-head").connection()).isNotEqualTo(head);
    assertThat(upstream.closedByProxy(head, CLOSE_SECONDS)).isTrue();
  }

  @Test
  void relaysA100ContinueBeforeTheFinalAnswer() throws Exception {
    upstream.script(r ->
        r.target().equals("/upload")
            ? Reply.of(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      c.send(
          "POST /upload HTTP/1.1\r\nHost: a.test\r\nExpect: 100-continue\r\n"
              + "Content-Length: 5\r\n\r\nhello");
      List<Message> answers = new ArrayList<>();
      for (Message m; answers.size() < 4; ) {
        answers.add(m = c.response("POST"));
        if (m.status() >= 200) break;
      }
      assertThat(answers).as("answers").extracting(Message::status).containsExactly(100, 200);
      assertThat(answers.getLast().bodyText()).isEqualTo("ok");
      assertThat(upstream.request("/upload").message().bodyText()).isEqualTo("hello");
      c.send(get("/after"));
      assertThat(c.response("GET").bodyText()).endsWith(" GET /after 0\n");
    }
  }

  @Test
  void passesACloseDelimitedResponseOnWhole() throws Exception {
    byte[] body = new byte[100_003];
    for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31 + i / 256);
    upstream.script(r ->
        r.target().equals("/stream")
            ? Reply.of("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n", body)
                .thenClose()
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      c.send(get("/stream"));
      Message m = c.response("GET");
      assertThat(m.status()).as("%s", m).isEqualTo(200);
      assertThat(m.complete()).as("framing ended properly: %s", m).isTrue();
      assertThat(Arrays.equals(m.body(), body))
          .as(
              "the body, %d bytes sent, %d received, framing %s",
              body.length, m.body().length, m.framing())
          .isTrue();
    }
  }

  @Test
  void aBadChunkSizeInAResponseCutsTheClientOffAndItsConnectionIsNotReused() throws Exception {
    upstream.script(r ->
        r.target().equals("/chunks")
            ? Reply.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n")
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      c.send(get("/chunks"));
      RawProxyClient.Drained got = c.drain();
      Request poisoned = upstream.request("/chunks");
      Message next = onNewClient("/next");
      var soft = new SoftAssertions();
      assertCutShort(soft, got);
      assertNotReused(soft, poisoned, next, "/next", true);
      soft.assertAll();
    }
  }

  @Test
  void aResponseShorterThanItsContentLengthLooksTruncated() throws Exception {
    upstream.script(r ->
        r.target().equals("/short")
            ? Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(20))
                .thenClose()
            : Reply.ok(r));
    try (RawProxyClient c = plain()) {
      c.send(get("/short"));
      var soft = new SoftAssertions();
      assertCutShort(soft, c.drain());
      soft.assertAll();
    }
  }

  // ---- helpers ----

  /**
   * Sends {@code request}, then expects one of {@code statuses}, the connection closed after it,
   * and (once a normal request on a new connection is through) nothing of it upstream.
   */
  void assertRefused(RawProxyClient client, String request, Integer... statuses) throws Exception {
    RawProxyClient.Answer answer;
    @Nullable String closeProblem = null;
    try (client) {
      client.send(request);
      answer = client.answer(request.substring(0, request.indexOf(' ')));
      if (Arrays.asList(statuses).contains(answer.status())) closeProblem = client.closeProblem();
    }
    Request sentinel = sentinel();
    var soft = new SoftAssertions();
    soft.assertThat(answer.status()).as("the proxy's answer: %s", answer).isIn((Object[]) statuses);
    soft.assertThat(closeProblem).as("the connection closes after the refusal").isNull();
    soft.assertThat(upstream.requests())
        .as("requests upstream, besides a later normal one")
        .containsExactly(sentinel);
    soft.assertThat(upstream.totalBytes() - sentinel.rawLength())
        .as("bytes upstream, besides a later normal request: %s", upstream.receivedText())
        .isZero();
    soft.assertAll();
  }

  /**
   * Posts {@code chunks} as a chunked body with a pipelined request for /smuggled after it; then
   * expects the connection to end (after a 400, or nothing), the broken request not passed on as
   * whole, and no /smuggled upstream, even after a normal request on a new connection.
   */
  void assertSmuggledNothing(RawProxyClient client, String chunks) throws Exception {
    RawProxyClient.Drained got;
    try (client) {
      client.send(
          "POST /chunked HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
              + chunks
              + SMUGGLED);
      got = client.drain();
    }
    sentinel();
    var soft = new SoftAssertions();
    soft.assertThat(got.closed()).as("the proxy ends the connection; it sent: %s", got).isTrue();
    soft.assertThat(RawProxyClient.responses(got.bytes(), "POST"))
        .as("the proxy's answers: %s", got)
        .extracting(Message::status)
        .isIn(List.of(), List.of(400));
    soft.assertThat(upstream.receivedText())
        .as("what the upstream received")
        .doesNotContain("/smuggled");
    soft.assertThat(upstream.requests())
        .as("the broken request, passed upstream as whole")
        .filteredOn(r -> r.target().equals("/chunked") && r.complete())
        .isEmpty();
    soft.assertAll();
  }

  /** The client got a 502, or nothing, or an answer that looks cut short; then the end. */
  static void assertCutShort(SoftAssertions soft, RawProxyClient.Drained got) throws IOException {
    soft.assertThat(got.closed()).as("the proxy closes the connection; it sent: %s", got).isTrue();
    List<Message> answers = RawProxyClient.responses(got.bytes(), "GET");
    soft.assertThat(answers.size()).as("answers: %s", got).isLessThanOrEqualTo(1);
    if (!answers.isEmpty()) {
      Message m = answers.getFirst();
      soft.assertThat(m.status() == 502 || !m.complete())
          .as("a 502 or an answer that looks cut short; got %s", m)
          .isTrue();
    }
  }

  /**
   * The poisoned connection carried no request after {@code poisoned}, and (when {@code
   * checkClosed}) the proxy closed it; the next request was answered, on another connection.
   */
  void assertNotReused(
      SoftAssertions soft,
      Request poisoned,
      @Nullable Message next,
      String nextTarget,
      boolean checkClosed)
      throws InterruptedException {
    soft.assertThat(next == null ? -1 : next.status()).as("next answer: %s", next).isEqualTo(200);
    upstream.requests().stream()
        .filter(r -> r.target().equals(nextTarget))
        .findFirst()
        .ifPresentOrElse(
            r ->
                soft.assertThat(r.connection())
                    .as(
                        "the upstream connection of %s (the poisoned one was #%d)",
                        nextTarget, poisoned.connection())
                    .isNotEqualTo(poisoned.connection()),
            () -> soft.fail("%s never reached the upstream: %s", nextTarget, upstream.requests()));
    soft.assertThat(upstream.requestsOn(poisoned.connection()))
        .as("requests on the poisoned connection")
        .containsExactly(poisoned);
    if (checkClosed)
      soft.assertThat(upstream.closedByProxy(poisoned.connection(), CLOSE_SECONDS))
          .as("the proxy closes the poisoned upstream connection #%d", poisoned.connection())
          .isTrue();
  }

  /** Requests forwarded upstream are whole and framed one way only. */
  static void assertWellFramed(SoftAssertions soft, Request r) {
    List<String> cl = r.head().values("Content-Length");
    List<String> te = r.head().values("Transfer-Encoding");
    soft.assertThat(r.complete()).as("whole upstream: %s", r).isTrue();
    soft.assertThat(cl.size()).as("Content-Length lines upstream: %s", r).isLessThanOrEqualTo(1);
    soft.assertThat(te.isEmpty() || cl.isEmpty()).as("CL and TE upstream: %s", r).isTrue();
    // in any case: a coding's name is case-insensitive (RFC 9112 §7)
    soft.assertThat(te.isEmpty() || (te.size() == 1 && te.getFirst().equalsIgnoreCase("chunked")))
        .as("no Transfer-Encoding upstream, or one: chunked; %s", r)
        .isTrue();
  }

  /** A normal GET on a new connection, answered 200; the upstream's record of it. */
  Request sentinel() throws IOException {
    Message m = onNewClient("/sentinel");
    assertThat(m.status()).as("a normal request after the attack: %s", m).isEqualTo(200);
    return upstream.request("/sentinel");
  }

  /** A GET of {@code target} on a new client connection; its answer. */
  Message onNewClient(String target) throws IOException {
    try (RawProxyClient c = plain()) {
      c.send(get(target));
      return c.response("GET");
    }
  }

  static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
  }

  RawProxyClient plain() throws IOException {
    return new RawProxyClient(ProxyClients.plain(plainPort, "127.0.0.1"));
  }

  RawProxyClient tls() throws IOException {
    return new RawProxyClient(ProxyClients.tls(pki.clientContext(), tlsPort, HOST, "127.0.0.1"));
  }
}
