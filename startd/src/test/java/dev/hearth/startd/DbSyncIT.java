package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Live database sync (rpc.md §3) against the real daemon. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbSyncIT {
  StartdProcess startd;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    startd = StartdProcess.start(dir);
    Servers.setUp(startd, "Sync Test");
  }

  @AfterAll
  void tearDown() throws Exception {
    startd.close();
  }

  @Test
  void aNotificationCreatedElsewhereArrivesLiveOnTheStream() throws Exception {
    try (RpcClient watcher = startd.localClient();
        RpcClient writer = startd.localClient()) {
      DbApi.Subscribed sub = watcher.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      Json model = JsonCodec.standard().toJson(sub.dump().value());
      long revision = sub.dump().id();
      try (Continuation stream = watcher.continuation(sub.guid())) {
        long id =
            writer.call(
                NotificationApi.CREATE,
                new NotificationApi.CreateParams(
                    null, NotificationApi.Level.warning, "Disk almost full", "92% used"));
        long sequence = writer.patchSequence();
        assertThat(sequence).as("X-Patch-Sequence").isGreaterThan(revision);
        // Apply frames until the stream has reached the sequence the writer was given.
        while (revision < sequence) {
          String frame = stream.next(Duration.ofSeconds(10)).orElseThrow();
          JsonNode rev = StartdProcess.MAPPER.readTree(frame);
          assertThat(rev.get("id").asLong()).isGreaterThan(revision);
          model =
              JsonCodec.standard()
                  .mapper()
                  .treeToValue(rev.get("patch"), JsonPatch.class)
                  .apply(model);
          revision = rev.get("id").asLong();
        }
        Json notification =
            model
                .at(dev.hearth.patchdb.json.JsonPointer.of("notifications", Long.toString(id)))
                .orElseThrow();
        assertThat(notification.toString()).contains("Disk almost full").contains("warning");
        assertThat(
                model.at(
                    dev.hearth.patchdb.json.JsonPointer.parse(
                        "/serverInfo/unreadNotificationCount")))
            .contains(Json.of(1));
      }
    }
  }

  @Test
  void aPrivateOnlyChangeStillReleasesAClientWaitingForItsSequence() throws Exception {
    try (RpcClient watcher = startd.localClient();
        RpcClient writer = startd.localClient()) {
      DbApi.Subscribed sub = watcher.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      try (Continuation stream = watcher.continuation(sub.guid())) {
        var text = StartdProcess.MAPPER.getNodeFactory();
        // Changing the password touches only /private.
        writer.call(
            AuthApi.RESET_PASSWORD,
            new AuthApi.ResetPasswordParams(null, text.textNode(Servers.PASSWORD)));
        long sequence = writer.patchSequence();
        JsonNode nudge =
            StartdProcess.MAPPER.readTree(stream.next(Duration.ofSeconds(10)).orElseThrow());
        assertThat(nudge.get("id").asLong()).isEqualTo(sequence);
        assertThat(nudge.get("patch")).isEmpty();
      }
    }
  }

  @Test
  void aSubscriptionCanFollowPartOfThePublicModel() throws Exception {
    try (RpcClient client = startd.localClient()) {
      DbApi.Subscribed sub =
          client.call(DbApi.SUBSCRIBE, new DbApi.PointerParams("/public/serverInfo/name"));
      assertThat(sub.dump().value().asText()).isEqualTo("Sync Test");
      try (Continuation stream = client.continuation(sub.guid())) {
        client.call(
            dev.hearth.api.ServerApi.SET_HOSTNAME,
            new dev.hearth.api.ServerApi.SetHostnameParams("Renamed Box", null));
        JsonNode frame =
            StartdProcess.MAPPER.readTree(stream.next(Duration.ofSeconds(10)).orElseThrow());
        assertThat(frame.get("patch").toString()).contains("Renamed Box");
      }
      assertThat(
              client
                  .call(DbApi.DUMP, new DbApi.PointerParams("/public/serverInfo/hostname"))
                  .value()
                  .asText())
          .isEqualTo("renamed-box");
    }
  }

  @Test
  void aContinuationGuidWorksOnceAndOnlyForItsKind() throws Exception {
    try (RpcClient client = startd.localClient()) {
      DbApi.Subscribed sub = client.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      try (Continuation first = client.continuation(sub.guid())) {
        assertThatThrownBy(() -> client.continuation(sub.guid()))
            .isInstanceOf(StartException.class);
      }
      assertThat(client.upload("A".repeat(32), Path.of("pom.xml"))).isEqualTo(404);
    }
  }

  @Test
  void clientsMayChangeOnlyTheUiPartOfThePublicModel() throws Exception {
    try (RpcClient client = startd.localClient()) {
      var f = StartdProcess.MAPPER.getNodeFactory();
      client.call(DbApi.PUT_UI, new DbApi.PutUiParams("/theme", f.textNode("dark")));
      assertThat(
              client.call(DbApi.DUMP, new DbApi.PointerParams("/public/ui/theme")).value().asText())
          .isEqualTo("dark");
      client.call(DbApi.PUT, new DbApi.PutParams("/public/ui/theme", f.textNode("dim")));
      assertThat(
              client.call(DbApi.DUMP, new DbApi.PointerParams("/public/ui/theme")).value().asText())
          .isEqualTo("dim");
      // The rest of the public model is the server's record: no client writes it (issue 10).
      String name =
          client
              .call(DbApi.DUMP, new DbApi.PointerParams("/public/serverInfo/name"))
              .value()
              .asText();
      for (String pointer :
          List.of(
              "/public/serverInfo/name",
              "/public/serverInfo/language",
              "/public/packageData/x",
              "/public",
              "/private/password")) {
        assertThatThrownBy(
                () -> client.call(DbApi.PUT, new DbApi.PutParams(pointer, f.textNode("x"))),
                pointer)
            .isInstanceOfSatisfying(
                StartException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
      }
      assertThat(
              client
                  .call(DbApi.DUMP, new DbApi.PointerParams("/public/serverInfo/name"))
                  .value()
                  .asText())
          .isEqualTo(name);
      var patch =
          StartdProcess.MAPPER.readTree(
              "[{\"op\":\"replace\",\"path\":\"/public/ui/theme\",\"value\":\"light\"}]");
      client.call(DbApi.APPLY, new DbApi.ApplyParams(patch));
      assertThat(
              client.call(DbApi.DUMP, new DbApi.PointerParams("/public/ui/theme")).value().asText())
          .isEqualTo("light");
      for (String op :
          List.of(
              "{\"op\":\"remove\",\"path\":\"/private/sessions\"}",
              "{\"op\":\"add\",\"path\":\"/public/packageData/x\",\"value\":{}}",
              "{\"op\":\"replace\",\"path\":\"/public/serverInfo/name\",\"value\":\"y\"}")) {
        // One operation outside /public/ui spoils the whole patch: the ui change does not land.
        var sneaky =
            StartdProcess.MAPPER.readTree(
                "[{\"op\":\"replace\",\"path\":\"/public/ui/theme\",\"value\":\"x\"}," + op + "]");
        assertThatThrownBy(() -> client.call(DbApi.APPLY, new DbApi.ApplyParams(sneaky)), op)
            .isInstanceOfSatisfying(
                StartException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
      }
      assertThat(
              client.call(DbApi.DUMP, new DbApi.PointerParams("/public/ui/theme")).value().asText())
          .isEqualTo("light");
      // Nesting deep enough to break writing the document out is refused.
      var deep = StartdProcess.MAPPER.readTree("[".repeat(70) + "]".repeat(70));
      assertThatThrownBy(() -> client.call(DbApi.PUT_UI, new DbApi.PutUiParams("/deep", deep)))
          .hasMessageContaining("levels deep");
    }
  }
}
