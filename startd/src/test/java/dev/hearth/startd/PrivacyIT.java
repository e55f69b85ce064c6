package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.DbApi;
import dev.hearth.api.Methods;
import dev.hearth.api.NotificationApi;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.patchdb.PatchDb;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonArray;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.JsonString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every method of the API, with a session and with the local cookie, plus every database
 * stream and the static files, and proves that no secret of the private model ever comes out: not
 * the password hash, not a private key.
 */
class PrivacyIT {
  @TempDir Path dir;

  /** Power methods would end the run; everything else is called. */
  private static final Set<String> SKIP = Set.of("server.restart", "server.shutdown");

  @Test
  void nothingUnderThePrivateModelEverReachesAClient() throws Exception {
    List<String> seen = new ArrayList<>();
    try (var startd = StartdProcess.start(dir)) {
      Servers.setUp(startd, "Private Box");
      exercise(startd, seen);
    }
    Set<String> secrets = secrets(dir.resolve("data/db"));
    assertThat(secrets)
        .as("the walk has secrets to look for: the password hash and the private keys")
        .anyMatch(s -> s.startsWith("$argon2id$"))
        .anyMatch(s -> s.contains("PRIVATE KEY"));
    assertThat(seen).hasSizeGreaterThan(40);
    for (String response : seen) {
      for (String secret : secrets) {
        assertThat(response).as("a response leaked a private value").doesNotContain(secret);
        for (String line : secret.split("\n")) {
          if (line.length() >= 40) { // a line of base64 key material
            assertThat(response).doesNotContain(line);
          }
        }
      }
    }
  }

  private void exercise(StartdProcess startd, List<String> seen) throws Exception {
    try (RpcClient session = startd.client();
        RpcClient local = startd.localClient()) {
      session.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
      local.call(
          NotificationApi.CREATE,
          new NotificationApi.CreateParams(null, NotificationApi.Level.info, "hello", "world"));
      // A stream opened before the private model changes, to catch leaks in patches too.
      DbApi.Subscribed sub = session.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      seen.add(StartdProcess.MAPPER.writeValueAsString(sub));
      try (Continuation stream = session.continuation(sub.guid())) {
        for (RpcClient client : List.of(session, local)) {
          for (MethodSpec<?, ?> spec : Methods.all()) {
            if (SKIP.contains(spec.name()) || spec.name().startsWith("setup.")) {
              continue;
            }
            seen.add(callRaw(startd.url(), client, spec.name(), "{}"));
          }
          for (String pointer :
              List.of(
                  "\"\"",
                  "\"/\"",
                  "\"/private\"",
                  "\"/private/password\"",
                  "\"/public\"",
                  "\"/public/serverInfo\"",
                  "\"/publicx\"",
                  "\"/public/../private\"")) {
            seen.add(callRaw(startd.url(), client, "db.dump", "{\"pointer\":" + pointer + "}"));
            seen.add(
                callRaw(startd.url(), client, "db.subscribe", "{\"pointer\":" + pointer + "}"));
          }
          var text = StartdProcess.MAPPER.getNodeFactory();
          // Private-only changes while the stream is open: a new hash, a new session.
          local.call(
              AuthApi.RESET_PASSWORD,
              new AuthApi.ResetPasswordParams(null, text.textNode(Servers.PASSWORD)));
          try (RpcClient other = startd.client()) {
            other.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
          }
        }
        for (var frame = stream.next(Duration.ofSeconds(2));
            frame.isPresent();
            frame = stream.next(Duration.ofSeconds(2))) {
          seen.add(frame.get());
        }
      }
      for (String path :
          List.of("/", "/index.html", "/static/local-root-ca.crt", "/static/StartOS-info.html")) {
        seen.add(SetupIT.get(startd.url().resolve(path)));
      }
      // The UI's scripts and styles, wherever its page loads them from.
      var assets =
          java.util.regex.Pattern.compile("\"(/assets/[^\"]+)\"")
              .matcher(SetupIT.get(startd.url().resolve("/")));
      int found = 0;
      while (assets.find()) {
        seen.add(SetupIT.get(startd.url().resolve(assets.group(1))));
        found++;
      }
      assertThat(found).as("the UI's assets in its page").isPositive();
    }
  }

  /** The raw response body of a call, error or result. */
  private static String callRaw(URI base, RpcClient client, String method, String params)
      throws Exception {
    ObjectNode request = StartdProcess.MAPPER.createObjectNode();
    request.put("jsonrpc", "2.0").put("id", 1).put("method", method);
    request.set("params", StartdProcess.MAPPER.readTree(params));
    var builder =
        HttpRequest.newBuilder(base.resolve("/rpc/v1"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
    var cookies = new StringBuilder();
    client.cookie("session").ifPresent(s -> cookies.append("session=").append(s));
    client
        .cookie("local")
        .ifPresent(s -> cookies.append(cookies.isEmpty() ? "" : "; ").append("local=").append(s));
    if (!cookies.isEmpty()) {
      builder.header("Cookie", cookies.toString());
    }
    try (var http = HttpClient.newHttpClient()) {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  /** Every string in /private but the public certificates, public keys and session records. */
  private static Set<String> secrets(Path db) {
    Set<String> out = new HashSet<>();
    try (var patchDb = PatchDb.open(db)) {
      Json priv = patchDb.snapshot().get(JsonPointer.of("private")).orElseThrow();
      collect(priv, JsonPointer.ROOT, out);
    }
    return out;
  }

  private static void collect(Json node, JsonPointer at, Set<String> out) {
    String path = at.toString();
    if (path.startsWith("/sessions") || path.startsWith("/authPubkeys") || path.endsWith("Cert")) {
      return;
    }
    switch (node) {
      case JsonString(String s) -> {
        if (s.length() >= 16) {
          out.add(s);
        }
      }
      case JsonObject o -> o.members().forEach((k, v) -> collect(v, at.child(k), out));
      case JsonArray a -> {
        for (int i = 0; i < a.size(); i++) {
          collect(a.get(i), at.child(i), out);
        }
      }
      default -> {}
    }
  }
}
