package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.DbApi;
import dev.hearth.api.Methods;
import dev.hearth.api.RootApi;
import dev.hearth.api.ServerApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Access;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Authentication against the real daemon, set up once for the class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIT {
  StartdProcess startd;
  String rootCa;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    startd = StartdProcess.start(dir);
    rootCa = Servers.setUp(startd, "Auth Test").rootCa();
  }

  @AfterAll
  void tearDown() throws Exception {
    startd.close();
  }

  @Test
  void everyNonPublicMethodRefusesAnUnauthenticatedCall() throws Exception {
    try (RpcClient anonymous = startd.client()) {
      int checked = 0;
      for (MethodSpec<?, ?> spec : Methods.all()) {
        if (spec.access() == Access.PUBLIC || spec.name().startsWith("setup.")) {
          continue;
        }
        ObjectNode params = StartdProcess.MAPPER.createObjectNode();
        assertThatThrownBy(() -> anonymous.call(spec.name(), params))
            .as(spec.name())
            .isInstanceOfSatisfying(
                StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION));
        checked++;
      }
      assertThat(checked).isGreaterThan(25);
      // A forged or stale session cookie is no better than none.
      anonymous.setCookie("session", "aaaaaaaaaaaaaaaaaaaaaaaaaa");
      anonymous.setCookie("local", "not-the-cookie");
      assertThatThrownBy(() -> anonymous.call(ServerApi.TIME, Empty.INSTANCE))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION));
    }
  }

  @Test
  void loginSetsAnHttpOnlyStrictCookieThatAuthenticatesLaterCalls() throws Exception {
    HttpResponse<String> r =
        post(
            startd.url(),
            "{\"id\":1,\"method\":\"auth.login\",\"params\":{\"password\":\""
                + Servers.PASSWORD
                + "\"}}",
            null);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("session=").contains("HttpOnly").contains("SameSite=Strict");
    assertThat(cookie).doesNotContain("Secure"); // plain HTTP
    // The browser keeps it as long as the server honours it: the absolute lifetime, 365 days.
    assertThat(cookie).contains("Max-Age=" + 365L * 24 * 3600);
    String token = cookie.substring("session=".length(), cookie.indexOf(';'));
    try (RpcClient client = startd.client()) {
      client.setCookie("session", token);
      assertThat(client.call(ServerApi.TIME, Empty.INSTANCE).now()).isNotBlank();
      AuthApi.SessionList sessions = client.call(AuthApi.SESSION_LIST, Empty.INSTANCE);
      assertThat(sessions.current()).isNotNull();
      assertThat(sessions.sessions()).containsKey(sessions.current());
      assertThat(sessions.current()).isNotEqualTo(token); // ids are hashes, never the token
    }
  }

  @Test
  void overTlsTheSessionCookieIsHostPrefixedSecureAndOnlyThatNameIsRead() throws Exception {
    SSLContext tls = trusting(SetupIT.certificate(rootCa));
    try (var http = HttpClient.newBuilder().sslContext(tls).build()) {
      URI url = startd.tlsUrl();
      HttpResponse<String> r = post(http, url, LOGIN, null);
      String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie)
          .startsWith("__Host-session=")
          .contains("; Path=/;")
          .contains("; Secure")
          .contains("; HttpOnly")
          .contains("; SameSite=Strict")
          .doesNotContainIgnoringCase("domain=");
      String token = cookie.substring("__Host-session=".length(), cookie.indexOf(';'));
      String time = "{\"id\":2,\"method\":\"server.time\",\"params\":{}}";
      assertThat(json(post(http, url, time, "__Host-session=" + token)).has("result")).isTrue();
      // A plain "session" cookie over TLS may have been planted over plain HTTP: not read.
      assertThat(json(post(http, url, time, "session=" + token)).at("/error/code").asInt())
          .isEqualTo(ErrorKind.AUTHORIZATION.code);
      // Nor is the prefixed name read over plain HTTP, where the prefix promises nothing.
      assertThat(
              json(post(http, startd.url(), time, "__Host-session=" + token))
                  .at("/error/code")
                  .asInt())
          .isEqualTo(ErrorKind.AUTHORIZATION.code);
    }
  }

  private static final String LOGIN =
      "{\"id\":1,\"method\":\"auth.login\",\"params\":{\"password\":\"" + Servers.PASSWORD + "\"}}";

  private static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> r)
      throws Exception {
    assertThat(r.statusCode()).isEqualTo(200);
    return StartdProcess.MAPPER.readTree(r.body());
  }

  private static HttpResponse<String> post(HttpClient http, URI base, String body, String cookie)
      throws Exception {
    var b =
        HttpRequest.newBuilder(base.resolve("/rpc/v1"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void guessingIsSlowedForTheGuessersAddressButNeverLocksOutTheOwner() throws Exception {
    // The guesser connects from 127.0.0.2, the owner from 127.0.0.1: both loopback.
    var guesser = java.net.InetAddress.getByName("127.0.0.2");
    String wrong = "{\"id\":1,\"method\":\"auth.login\",\"params\":{\"password\":\"wrong\"}}";
    String right =
        "{\"id\":1,\"method\":\"auth.login\",\"params\":{\"password\":\""
            + Servers.PASSWORD
            + "\"}}";
    try (var http = HttpClient.newBuilder().localAddress(guesser).build()) {
      var first = StartdProcess.MAPPER.readTree(send(http, wrong).body());
      assertThat(first.at("/error/code").asInt()).isEqualTo(ErrorKind.INCORRECT_PASSWORD.code);
      int limitedAfter = -1;
      for (int i = 0; i < 10 && limitedAfter < 0; i++) {
        var r = StartdProcess.MAPPER.readTree(send(http, wrong).body());
        if (r.at("/error/code").asInt() == ErrorKind.RATE_LIMITED.code) {
          limitedAfter = i + 2;
          assertThat(r.at("/error/data/details").asText()).contains("try again in");
        }
      }
      assertThat(limitedAfter).as("guessing is rate limited").isBetween(2, 8);
      // Even the right password waits on the guesser's address...
      var blocked = StartdProcess.MAPPER.readTree(send(http, right).body());
      assertThat(blocked.at("/error/code").asInt()).isEqualTo(ErrorKind.RATE_LIMITED.code);
    }
    // ...while the owner on another address logs in at once.
    try (RpcClient owner = loggedIn()) {
      assertThat(owner.call(ServerApi.TIME, Empty.INSTANCE)).isNotNull();
    }
  }

  private HttpResponse<String> send(HttpClient http, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(startd.url().resolve("/rpc/v1"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theLocalCookieAuthenticatesTheOnBoxCli() throws Exception {
    try (RpcClient local = startd.localClient()) {
      assertThat(local.call(RootApi.ECHO, new RootApi.EchoParams("x"))).isEqualTo("x");
      assertThat(local.call(ServerApi.TIME, Empty.INSTANCE)).isNotNull();
      AuthApi.SessionList sessions = local.call(AuthApi.SESSION_LIST, Empty.INSTANCE);
      assertThat(sessions.current()).isNull(); // no session behind the local cookie
    }
  }

  @Test
  void logoutEndsTheSessionAndClosesItsStreams() throws Exception {
    try (RpcClient client = loggedIn()) {
      DbApi.Subscribed sub = client.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      try (Continuation stream = client.continuation(sub.guid())) {
        client.call(AuthApi.LOGOUT, Empty.INSTANCE);
        assertThat(client.cookie("session")).as("logout clears the cookie").isEmpty();
        assertThat(stream.awaitClose(Duration.ofSeconds(10))).isPresent();
      }
    }
  }

  @Test
  void logoutAlsoEndsTheSessionsLogAndMetricsStreams() throws Exception {
    try (RpcClient client = loggedIn()) {
      ServerApi.LogFollow logs =
          client.call(ServerApi.LOGS_FOLLOW, new ServerApi.LogsParams(null, null, null, null));
      ServerApi.MetricsFollow metrics = client.call(ServerApi.METRICS_FOLLOW, Empty.INSTANCE);
      try (Continuation logStream = client.continuation(logs.guid());
          Continuation metricStream = client.continuation(metrics.guid())) {
        client.call(AuthApi.LOGOUT, Empty.INSTANCE);
        assertThat(logStream.awaitClose(Duration.ofSeconds(10))).isPresent();
        assertThat(metricStream.awaitClose(Duration.ofSeconds(10))).isPresent();
      }
    }
  }

  @Test
  void killedSessionsAreRefusedAfterwards() throws Exception {
    try (RpcClient victim = loggedIn();
        RpcClient local = startd.localClient()) {
      String id = victim.call(AuthApi.SESSION_LIST, Empty.INSTANCE).current();
      local.call(AuthApi.SESSION_KILL, new AuthApi.KillParams(List.of(id)));
      assertThatThrownBy(() -> victim.call(ServerApi.TIME, Empty.INSTANCE))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION));
    }
  }

  @Test
  void killAllEndsEverySessionTheCallersTooAndClosesTheirStreams() throws Exception {
    try (RpcClient caller = loggedIn();
        RpcClient other = loggedIn();
        RpcClient local = startd.localClient()) {
      String callerToken = caller.cookie("session").orElseThrow();
      String callerId = caller.call(AuthApi.SESSION_LIST, Empty.INSTANCE).current();
      String otherId = other.call(AuthApi.SESSION_LIST, Empty.INSTANCE).current();
      DbApi.Subscribed callerSub = caller.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      DbApi.Subscribed otherSub = other.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      try (Continuation callerStream = caller.continuation(callerSub.guid());
          Continuation otherStream = other.continuation(otherSub.guid())) {
        caller.call(AuthApi.SESSION_KILL_ALL, Empty.INSTANCE);
        assertThat(caller.cookie("session")).as("the caller's cookie is cleared").isEmpty();
        assertThat(callerStream.awaitClose(Duration.ofSeconds(10))).isPresent();
        assertThat(otherStream.awaitClose(Duration.ofSeconds(10))).isPresent();
      }
      caller.setCookie("session", callerToken);
      for (RpcClient ended : List.of(caller, other)) {
        assertThatThrownBy(() -> ended.call(ServerApi.TIME, Empty.INSTANCE))
            .isInstanceOfSatisfying(
                StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION));
      }
      assertThat(local.call(AuthApi.SESSION_LIST, Empty.INSTANCE).sessions())
          .doesNotContainKeys(callerId, otherId);
    }
  }

  @Test
  void changingThePasswordEndsEveryOtherSession() throws Exception {
    var text = StartdProcess.MAPPER.getNodeFactory();
    try (RpcClient changer = loggedIn();
        RpcClient other = loggedIn();
        RpcClient local = startd.localClient()) {
      try {
        DbApi.Subscribed sub = other.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
        try (Continuation otherStream = other.continuation(sub.guid())) {
          changer.call(
              AuthApi.RESET_PASSWORD,
              new AuthApi.ResetPasswordParams(
                  text.textNode(Servers.PASSWORD), text.textNode("interim")));
          assertThat(otherStream.awaitClose(Duration.ofSeconds(10))).isPresent();
        }
        assertThatThrownBy(() -> other.call(ServerApi.TIME, Empty.INSTANCE))
            .isInstanceOfSatisfying(
                StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION));
        assertThat(changer.call(ServerApi.TIME, Empty.INSTANCE)).isNotNull();
      } finally {
        // A reset on the server itself has no session to keep: every one ends.
        local.call(
            AuthApi.RESET_PASSWORD,
            new AuthApi.ResetPasswordParams(null, text.textNode(Servers.PASSWORD)));
      }
      assertThatThrownBy(() -> changer.call(ServerApi.TIME, Empty.INSTANCE))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION));
    }
  }

  @Test
  void aSessionMustProveTheOldPasswordToChangeItButTheLocalCliMayReset() throws Exception {
    var text = StartdProcess.MAPPER.getNodeFactory();
    try (RpcClient session = loggedIn();
        RpcClient local = startd.localClient()) {
      assertThatThrownBy(() ->
              session.call(
                  AuthApi.RESET_PASSWORD,
                  new AuthApi.ResetPasswordParams(
                      text.textNode("wrong"), text.textNode("new one"))))
          .isInstanceOfSatisfying(
              StartException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.INCORRECT_PASSWORD));
      session.call(
          AuthApi.RESET_PASSWORD,
          new AuthApi.ResetPasswordParams(
              text.textNode(Servers.PASSWORD), text.textNode("interim")));
      local.call(
          AuthApi.RESET_PASSWORD,
          new AuthApi.ResetPasswordParams(null, text.textNode(Servers.PASSWORD)));
    }
    try (RpcClient again = loggedIn()) {
      assertThat(again.call(ServerApi.TIME, Empty.INSTANCE)).isNotNull();
    }
  }

  private RpcClient loggedIn() throws Exception {
    RpcClient client = startd.client();
    client.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
    return client;
  }

  private static HttpResponse<String> post(URI base, String body, String cookie) throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      return post(http, base, body, cookie);
    }
  }

  static SSLContext trusting(X509Certificate root) throws Exception {
    var store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("root", root);
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    var ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }
}
