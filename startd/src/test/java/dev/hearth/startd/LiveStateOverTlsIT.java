package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.jsonrpc.RpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's live state over HTTPS, as a browser keeps it: {@code db.subscribe} through the TLS
 * proxy, then the continuation's {@code wss://} socket through the same proxy, with the session
 * cookie and the page's {@code https} Origin. The loopback listener behind the proxy must judge
 * that Origin by the forwarded scheme, and the proxy must pass the upgrade on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveStateOverTlsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  StartdProcess startd;
  SSLContext tls; // trusts the server's Root CA, and nothing else
  URI https;
  RpcClient admin; // logged in over HTTPS, through the proxy

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    startd = start(dir);
    String rootCa = Servers.setUp(startd, "Live Over TLS").rootCa();
    tls = AuthIT.trusting(SetupIT.certificate(rootCa));
    https = startd.tlsUrl();
    admin = new RpcClient(https, StartdProcess.MAPPER, () -> tls);
    admin.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
    assertThat(admin.session()).as("the login set __Host-session").isPresent();
  }

  /** The daemon under test, not yet set up. */
  StartdProcess start(Path dir) throws Exception {
    return StartdProcess.start(dir);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (startd != null) {
      startd.close();
    }
  }

  @Test
  void theUisOwnHttpsOriginFollowsTheDatabaseOverWssThroughTheProxy() throws Exception {
    DbApi.Subscribed sub = admin.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
    assertThat(sub.dump().value().at("/serverInfo/name").asText()).isEqualTo("Live Over TLS");
    try (var http = webSockets()) {
      Frames frames = new Frames();
      WebSocket socket =
          http.newWebSocketBuilder()
              .header("Origin", origin("https", https.getPort()))
              .header("Cookie", "__Host-session=" + admin.session().orElseThrow())
              .buildAsync(socket(sub.guid()), frames)
              .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      try {
        long id =
            admin.call(
                NotificationApi.CREATE,
                new NotificationApi.CreateParams(
                    null, NotificationApi.Level.info, "seen over wss", "through the proxy"));
        // Revisions arrive in order; the one that carries the notification is the one we wait for.
        JsonNode revision;
        do {
          revision = StartdProcess.MAPPER.readTree(frames.next());
          assertThat(revision.get("id").asLong()).isPositive();
        } while (!revision.get("patch").toString().contains("seen over wss"));
        assertThat(revision.get("patch").toString()).contains("/notifications/" + id);
      } finally {
        socket.abort();
      }
    }
  }

  @Test
  void aSocketFromAnotherOriginIsRefusedOverWssAndTheGuidStaysClaimable() throws Exception {
    DbApi.Subscribed sub = admin.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
    String cookie = "__Host-session=" + admin.session().orElseThrow();
    try (var http = webSockets()) {
      // A service's page on another port, and a plain-HTTP page on the very same port: neither is
      // the UI's origin, and the second is refused only if the proxied request counts as secure.
      for (String foreign :
          new String[] {
            origin("https", https.getPort() == 65535 ? 1 : https.getPort() + 1),
            origin("http", https.getPort())
          }) {
        var attempt =
            http.newWebSocketBuilder()
                .header("Origin", foreign)
                .header("Cookie", cookie)
                .buildAsync(socket(sub.guid()), new WebSocket.Listener() {});
        // Should the handshake succeed, the socket is dropped at once rather than left open.
        Throwable refused =
            catchThrowable(() -> attempt.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).abort());
        assertThat(refused)
            .as(foreign)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOfSatisfying(
                WebSocketHandshakeException.class,
                e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
      }
      // The refusals did not use the guid up: the UI's own origin still opens it.
      Frames frames = new Frames();
      WebSocket socket =
          http.newWebSocketBuilder()
              .header("Origin", origin("https", https.getPort()))
              .header("Cookie", cookie)
              .buildAsync(socket(sub.guid()), frames)
              .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      socket.abort();
    }
  }

  private HttpClient webSockets() {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(PATIENCE)
        .build();
  }

  private URI socket(String guid) {
    return URI.create("wss://127.0.0.1:" + https.getPort() + "/ws/rpc/" + guid);
  }

  private static String origin(String scheme, int port) {
    return scheme + "://127.0.0.1:" + port;
  }

  /** The text frames a socket receives, whole and in order. */
  private static final class Frames implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        queue.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    String next() throws InterruptedException {
      String frame = queue.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(frame).as("a frame within %s", PATIENCE).isNotNull();
      return frame;
    }
  }
}
