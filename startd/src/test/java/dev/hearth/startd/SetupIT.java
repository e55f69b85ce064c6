package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.RootApi;
import dev.hearth.api.SetupApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.startd.auth.EncryptedWire;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First run against the real daemon: the wizard's calls, in the wizard's order. */
class SetupIT {
  @TempDir Path dir;

  @Test
  void beforeSetupOnlyTheSetupMethodsAnswer() throws Exception {
    try (var startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      assertThat(client.call(SetupApi.STATUS, Empty.INSTANCE))
          .isEqualTo(new SetupApi.Status.Incomplete(null, false, false, null));
      for (String method : List.of("echo", "auth.login", "server.time", "db.dump", "state")) {
        assertThatThrownBy(() -> client.call(method, StartdProcess.MAPPER.createObjectNode()))
            .as(method)
            .isInstanceOfSatisfying(
                StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
      }
    }
  }

  @Test
  void aFreshSetupNamesTheServerMakesItsCaAndHandsOverToNormalMode() throws Exception {
    try (var startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      JsonNode key = client.call(SetupApi.GET_PUBKEY, Empty.INSTANCE);
      assertThat(key.get("kty").asText()).isEqualTo("EC");
      var password =
          new SetupApi.EncryptedPassword(
              EncryptedWire.encrypt(
                  Servers.PASSWORD, key, new SecureRandom(), StartdProcess.MAPPER));
      SetupApi.Started started =
          client.call(
              SetupApi.EXECUTE,
              new SetupApi.ExecuteParams(null, password, null, false, "My Cool Server", null));

      List<FullProgress> frames = new ArrayList<>();
      try (Continuation progress = client.continuation(started.guid())) {
        while (true) {
          var frame = progress.next(Duration.ofSeconds(60));
          if (frame.isEmpty()) {
            break;
          }
          frames.add(StartdProcess.MAPPER.readValue(frame.get(), FullProgress.class));
        }
        assertThat(progress.awaitClose(Duration.ofSeconds(10)).orElseThrow().reason())
            .isEqualTo("complete");
      }
      assertThat(frames).isNotEmpty();
      assertThat(frames.getLast().isComplete()).isTrue();

      SetupApi.Completed done = client.call(SetupApi.COMPLETE, Empty.INSTANCE);
      assertThat(done.hostname()).isEqualTo("my-cool-server");
      X509Certificate root = certificate(done.rootCa());
      assertThat(root.getSubjectX500Principal().getName()).contains("my-cool-server.local");
      assertThat(client.call(SetupApi.STATUS, Empty.INSTANCE))
          .isInstanceOf(SetupApi.Status.Complete.class);

      // The root CA and the info page are served for download.
      String served = get(startd.url().resolve("/static/local-root-ca.crt"));
      assertThat(served).isEqualTo(done.rootCa());
      assertThat(get(startd.url().resolve("/static/StartOS-info.html")))
          .contains("https://my-cool-server.local")
          .contains("BEGIN CERTIFICATE");

      // A second setup is refused: once the database is written, setup.execute is gone (-32601).
      assertThatThrownBy(() ->
              client.call(
                  SetupApi.EXECUTE,
                  new SetupApi.ExecuteParams(null, password, null, false, "Other", null)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));

      client.call(SetupApi.EXIT, Empty.INSTANCE);
      assertThat(client.call(RootApi.ECHO, new RootApi.EchoParams("hi"))).isEqualTo("hi");
      assertThat(client.call(RootApi.STATE, Empty.INSTANCE)).isEqualTo("running");
    }
    // After a restart the server comes up in normal mode, serving TLS with its certificate.
    try (var startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      assertThat(client.call(RootApi.STATE, Empty.INSTANCE)).isEqualTo("running");
      assertThat(startd.tlsUrl().getScheme()).isEqualTo("https");
    }
  }

  @Test
  void onceSetupHasWrittenTheDatabaseOnlyStatusCompleteAndExitRemainPublic() throws Exception {
    try (var startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      JsonNode key = client.call(SetupApi.GET_PUBKEY, Empty.INSTANCE);
      var password =
          new SetupApi.EncryptedPassword(
              EncryptedWire.encrypt(
                  Servers.PASSWORD, key, new SecureRandom(), StartdProcess.MAPPER));
      SetupApi.Started started =
          client.call(
              SetupApi.EXECUTE,
              new SetupApi.ExecuteParams(null, password, null, false, "Closed Box", null));
      try (Continuation progress = client.continuation(started.guid())) {
        assertThat(progress.awaitClose(Duration.ofSeconds(60)).orElseThrow().code())
            .isEqualTo(1000);
      }
      // Without setup.exit: the server is in normal mode, and the wizard's tools are gone.
      for (String method :
          List.of(
              "setup.execute",
              "setup.attach",
              "setup.logs",
              "setup.logs.follow",
              "setup.restart",
              "setup.shutdown",
              "setup.set-language",
              "setup.get-pubkey",
              "setup.disk.list")) {
        JsonNode reply = StartdProcess.MAPPER.readTree(RawRpc.post(startd.url(), method, "{}"));
        assertThat(reply.at("/error/code").asInt()).as(method).isEqualTo(-32601);
      }
      assertThat(client.call(RootApi.STATE, Empty.INSTANCE)).isEqualTo("running");
      assertThat(client.call(SetupApi.STATUS, Empty.INSTANCE))
          .isInstanceOfSatisfying(
              SetupApi.Status.Complete.class,
              s -> assertThat(s.hostname()).isEqualTo("closed-box"));
      assertThat(client.call(SetupApi.COMPLETE, Empty.INSTANCE).hostname()).isEqualTo("closed-box");
      client.call(SetupApi.EXIT, Empty.INSTANCE);
      client.call(SetupApi.EXIT, Empty.INSTANCE); // idempotent
      assertThat(client.call(RootApi.ECHO, new RootApi.EchoParams("hi"))).isEqualTo("hi");
    }
  }

  @Test
  void theUiIsServedWithAStrictContentSecurityPolicyAndAnswersItsOwnRoutes() throws Exception {
    try (StartdProcess startd = StartdProcess.start(dir)) {
      try (var http = HttpClient.newHttpClient()) {
        for (String path : List.of("/", "/notifications", "/a/client/route")) {
          HttpResponse<String> page =
              http.send(
                  HttpRequest.newBuilder(startd.url().resolve(path)).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(page.statusCode()).as(path).isEqualTo(200);
          assertThat(page.headers().firstValue("Content-Type"))
              .contains("text/html; charset=utf-8");
          assertThat(page.headers().firstValue("Content-Security-Policy"))
              .hasValueSatisfying(csp ->
                  assertThat(csp)
                      .contains("script-src 'self'")
                      .contains("frame-ancestors 'none'")
                      .doesNotContain("unsafe-inline")
                      .doesNotContain("unsafe-eval"));
          // Every script of the page is a file of this server: nothing inline for the policy to
          // have to allow.
          assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
          assertThat(page.body()).contains("<script type=\"module\" crossorigin src=\"/assets/");
        }
        HttpResponse<String> missing =
            http.send(
                HttpRequest.newBuilder(startd.url().resolve("/assets/missing.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
      }
    }
  }

  @Test
  void aPlainTextPasswordIsRefusedInSetupAsInvalidParams() throws Exception {
    try (var startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      var params = StartdProcess.MAPPER.createObjectNode();
      params.put("password", "secret");
      params.put("name", "x");
      JsonNode reply =
          StartdProcess.MAPPER.readTree(
              RawRpc.post(startd.url(), "setup.execute", params.toString()));
      assertThat(reply.at("/error/code").asInt()).isEqualTo(-32602);
      assertThat(client.call(SetupApi.STATUS, Empty.INSTANCE))
          .isInstanceOf(SetupApi.Status.Incomplete.class);
    }
  }

  @Test
  void restoreAndTransferSayTheyComeWithTheBackupWork() throws Exception {
    try (var startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      var source = StartdProcess.MAPPER.createObjectNode().put("type", "migrate").put("guid", "x");
      assertThatThrownBy(() ->
              client.call(
                  SetupApi.EXECUTE,
                  new SetupApi.ExecuteParams(null, null, source, false, "x", null)))
          .hasMessageContaining("backups work");
      assertThatThrownBy(
              () -> client.call(SetupApi.ATTACH, new SetupApi.AttachParams("g", null, false)))
          .hasMessageContaining("backups work");
    }
  }

  @Test
  void aSecondDaemonOnTheSameDataDirectoryIsRefused() throws Exception {
    try (var first = StartdProcess.start(dir)) {
      var second =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-jar",
                  StartdProcess.jar().toString(),
                  "--data-dir",
                  first.dataDir.toString(),
                  "--run-dir",
                  dir.resolve("run2").toString(),
                  "--listen",
                  "127.0.0.1:0")
              .redirectErrorStream(true)
              .start();
      String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.waitFor()).isEqualTo(1);
      assertThat(out).contains("another startd is already running with the data directory");
      assertThat(first.client().call(SetupApi.STATUS, Empty.INSTANCE)).isNotNull();
    }
  }

  @Test
  void sigtermStopsTheDaemonGracefully() throws Exception {
    var startd = StartdProcess.start(dir);
    assertThat(startd.stop()).isIn(0, 143);
    assertThat(startd.output()).anyMatch(l -> l.contains("startd stopping"));
    // and the data directory is free again
    try (var again = StartdProcess.start(dir)) {
      assertThat(again.client().call(SetupApi.STATUS, Empty.INSTANCE)).isNotNull();
    }
  }

  static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  static String get(URI uri) throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
      return r.body();
    }
  }
}
