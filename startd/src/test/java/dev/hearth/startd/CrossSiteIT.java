package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hearth.api.AuthApi;
import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-site request forgery, performed for real: a page of another origin in the admin's browser
 * (such as a service's UI on the same host, another port: same-site, so the SameSite=Strict cookie
 * rides along) posts to the RPC endpoint, opens a continuation's socket, or uploads. Each attack
 * carries the admin's real session cookie and must be refused before anything runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSiteIT {
  StartdProcess startd;
  RpcClient admin;
  String sessionCookie;
  String ownOrigin;
  String foreignOrigin; // the same host on another port: a service's web page

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    startd = StartdProcess.start(dir);
    Servers.setUp(startd, "Cross Site");
    admin = startd.client();
    admin.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
    sessionCookie = "session=" + admin.cookie("session").orElseThrow();
    URI url = startd.url();
    ownOrigin = "http://127.0.0.1:" + url.getPort();
    foreignOrigin = "http://127.0.0.1:" + (url.getPort() == 65535 ? 1 : url.getPort() + 1);
  }

  @AfterAll
  void tearDown() throws Exception {
    admin.close();
    startd.close();
  }

  private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
    var request =
        HttpRequest.newBuilder(startd.url().resolve("/rpc/v1"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try (var http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The admin's browser posting a notification, with the headers an attacking page gets sent. */
  private HttpResponse<String> createNotification(String title, Map<String, String> headers)
      throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Cookie", sessionCookie);
    all.putAll(headers);
    return post(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"notification.create\",\"params\":"
            + "{\"level\":\"warning\",\"title\":\""
            + title
            + "\",\"message\":\"forged\"}}",
        all);
  }

  private List<String> titles() {
    return admin.call(NotificationApi.LIST, new NotificationApi.ListParams(null, null)).stream()
        .map(NotificationApi.Notification::title)
        .toList();
  }

  @Test
  void aPostFromAnotherOriginIsRefusedAndNothingRuns() throws Exception {
    HttpResponse<String> r =
        createNotification(
            "from another port",
            Map.of("Content-Type", "application/json", "Origin", foreignOrigin));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("Origin " + foreignOrigin + " is not the origin");
    assertThat(titles()).doesNotContain("from another port");
  }

  @Test
  void aPostWithAForeignHttpsOrNullOriginIsRefused() throws Exception {
    for (String origin : List.of("https://127.0.0.1:" + startd.url().getPort(), "null")) {
      HttpResponse<String> r =
          createNotification(
              "origin " + origin, Map.of("Content-Type", "application/json", "Origin", origin));
      assertThat(r.statusCode()).as(origin).isEqualTo(403);
    }
    assertThat(titles()).noneMatch(t -> t.startsWith("origin "));
  }

  @Test
  void aPostTheBrowserMarksCrossSiteOrSameSiteIsRefusedAndNothingRuns() throws Exception {
    for (String site : List.of("cross-site", "same-site")) {
      HttpResponse<String> r =
          createNotification(
              "fetch " + site, Map.of("Content-Type", "application/json", "Sec-Fetch-Site", site));
      assertThat(r.statusCode()).as(site).isEqualTo(403);
      assertThat(r.body()).contains("Sec-Fetch-Site " + site);
    }
    assertThat(titles()).noneMatch(t -> t.startsWith("fetch "));
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsRefusedWith415AndNothingRuns() throws Exception {
    // What an HTML form or a fetch without a preflight can send.
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x")) {
      HttpResponse<String> r = createNotification("typed " + type, Map.of("Content-Type", type));
      assertThat(r.statusCode()).as(type).isEqualTo(415);
    }
    HttpResponse<String> untyped = createNotification("untyped", Map.of());
    assertThat(untyped.statusCode()).isEqualTo(415);
    assertThat(titles()).noneMatch(t -> t.startsWith("typed ") || t.equals("untyped"));
  }

  @Test
  void sameOriginAndCliStyleRequestsAreServed() throws Exception {
    // The UI served by the daemon itself, as a browser sends it.
    HttpResponse<String> ui =
        createNotification(
            "from the ui",
            Map.of(
                "Content-Type",
                "application/json",
                "Origin",
                ownOrigin,
                "Sec-Fetch-Site",
                "same-origin"));
    assertThat(ui.statusCode()).isEqualTo(200);
    // Typed in the address bar, or a bookmark: the browser says "none".
    HttpResponse<String> typed =
        createNotification(
            "user initiated",
            Map.of("Content-Type", "application/json; charset=utf-8", "Sec-Fetch-Site", "none"));
    assertThat(typed.statusCode()).isEqualTo(200);
    // The CLI and curl send neither Origin nor Sec-Fetch-Site.
    HttpResponse<String> cli =
        createNotification("from the cli", Map.of("Content-Type", "Application/JSON"));
    assertThat(cli.statusCode()).isEqualTo(200);
    assertThat(titles()).contains("from the ui", "user initiated", "from the cli");
  }

  @Test
  void aContinuationSocketOpenedFromAnotherOriginIsRefusedAndStaysClaimable() throws Exception {
    DbApi.Subscribed sub = admin.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
    URI ws = URI.create("ws://127.0.0.1:" + startd.url().getPort() + "/ws/rpc/" + sub.guid());
    try (var http = HttpClient.newHttpClient()) {
      var attempt =
          http.newWebSocketBuilder()
              .header("Origin", foreignOrigin)
              .buildAsync(ws, new WebSocket.Listener() {});
      // Should the handshake succeed, the socket is dropped at once rather than left open.
      Throwable refused = catchThrowable(() -> attempt.get(10, TimeUnit.SECONDS).abort());
      assertThat(refused)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }
    // The refused attempt did not use up the guid: its rightful client still opens it.
    try (Continuation stream = admin.continuation(sub.guid())) {
      admin.call(
          NotificationApi.CREATE,
          new NotificationApi.CreateParams(null, NotificationApi.Level.info, "after", "m"));
      assertThat(stream.next(Duration.ofSeconds(10))).as("a revision arrives").isPresent();
    }
  }

  @Test
  void anUploadFromAnotherOriginIsRefusedBeforeTheGuidIsLookedAt() throws Exception {
    // No container runtime here, so no real upload guid: a well-formed one answers 404 from a
    // client without an Origin, and 403 from another origin, which shows the check comes first.
    URI upload = startd.url().resolve("/rest/rpc/" + "A".repeat(32));
    try (var http = HttpClient.newHttpClient()) {
      var plain = HttpRequest.newBuilder(upload).POST(HttpRequest.BodyPublishers.ofString("x"));
      assertThat(http.send(plain.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(404);
      var forged =
          HttpRequest.newBuilder(upload)
              .header("Origin", foreignOrigin)
              .header("Cookie", sessionCookie)
              .POST(HttpRequest.BodyPublishers.ofString("x"));
      assertThat(http.send(forged.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(403);
    }
  }
}
