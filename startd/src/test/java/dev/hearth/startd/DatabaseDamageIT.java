package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.DbApi;
import dev.hearth.api.DiagnosticApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.RootApi;
import dev.hearth.api.ServerApi;
import dev.hearth.api.SetupApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged database does not keep the daemon from starting (issue 10): garbage at the end of the
 * journal is cut off, kept aside and reported to the user.
 */
class DatabaseDamageIT {
  @TempDir Path dir;

  @Test
  void garbageAtTheJournalsEndIsCutOffKeptAsideAndReported() throws Exception {
    try (StartdProcess startd = StartdProcess.start(dir)) {
      Servers.setUp(startd, "Damaged");
      crash(startd);
    }
    Path journal = newestJournal();
    byte[] garbage = new byte[100];
    new Random(10).nextBytes(garbage);
    Files.write(journal, garbage, StandardOpenOption.APPEND);

    try (StartdProcess startd = StartdProcess.start(dir);
        RpcClient client = startd.localClient()) {
      JsonNode notifications =
          client.call(DbApi.DUMP, new DbApi.PointerParams("/public/notifications")).value();
      JsonNode repaired = null;
      for (JsonNode n : notifications) {
        if (n.path("title").asText().equals("Database repaired")) {
          repaired = n;
        }
      }
      assertThat(repaired).as(notifications.toString()).isNotNull();
      assertThat(repaired.path("level").asText()).isEqualTo("warning");
      assertThat(repaired.path("message").asText())
          .contains(journal.getFileName().toString())
          .contains("100 bytes")
          .contains("Every change the server had confirmed is intact");
      // The server as it was: set up, its name kept.
      assertThat(
              client
                  .call(DbApi.DUMP, new DbApi.PointerParams("/public/serverInfo/name"))
                  .value()
                  .asText())
          .isEqualTo("Damaged");
    }
    try (Stream<Path> files = Files.list(dir.resolve("data/db"))) {
      Path kept =
          files
              .filter(f -> f.getFileName().toString().startsWith("damaged-"))
              .findFirst()
              .orElseThrow();
      assertThat(Files.readAllBytes(kept)).isEqualTo(garbage);
    }
  }

  @Test
  void aDatabaseThatCannotBeOpenedIsReportedByADiagnosticServerNotACrashLoop() throws Exception {
    try (StartdProcess startd = StartdProcess.start(dir);
        RpcClient client = startd.localClient()) {
      Servers.setUp(startd, "Broken");
      for (int i = 0; i < 5; i++) { // records after the big one of setup
        client.call(
            NotificationApi.CREATE,
            new NotificationApi.CreateParams(null, NotificationApi.Level.info, "n" + i, "m"));
      }
      crash(startd);
    }
    // Damage acknowledged data: a byte in the middle of the journal, valid records after it.
    Path journal = newestJournal();
    byte[] bytes = Files.readAllBytes(journal);
    bytes[bytes.length / 2] ^= (byte) 0xff;
    Files.write(journal, bytes);

    try (StartdProcess startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      assertThat(client.call(RootApi.STATE, Empty.INSTANCE)).isEqualTo("error");
      DiagnosticApi.ErrorInfo error = client.call(DiagnosticApi.ERROR, Empty.INSTANCE);
      assertThat(error.code()).isEqualTo(ErrorKind.DATABASE.code);
      assertThat(error.message()).contains(journal.getFileName().toString()).contains("damaged");
      ServerApi.LogPage log =
          client.call(DiagnosticApi.LOGS, new ServerApi.LogsParams(100, null, null, null));
      assertThat(log.entries()).anyMatch(e -> e.message().contains("serving the diagnostic API"));
      // Nothing else is served: the rest needs the database.
      assertThatThrownBy(() -> client.call(RootApi.ECHO, new RootApi.EchoParams("hi")))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
          .hasMessageContaining("Method not found");
      // The files are as they were: the diagnostic server does not touch what it reports on.
      assertThat(Files.readAllBytes(journal)).isEqualTo(bytes);
      client.call(DiagnosticApi.RESTART, Empty.INSTANCE); // --power stop: the daemon stops
      assertThat(startd.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aServerWhoseOnlyRecordWasDamagedIsNotOfferedForSetupAgain() throws Exception {
    try (StartdProcess startd = StartdProcess.start(dir)) {
      Servers.setUp(startd, "Taken over?");
      crash(startd);
    }
    Path journal;
    try (Stream<Path> files = Files.list(dir.resolve("data/db"))) {
      journal =
          files
              .filter(f -> f.getFileName().toString().startsWith("journal-"))
              .max(java.util.Comparator.comparingLong(f -> f.toFile().length()))
              .orElseThrow();
    }
    // Setup's whole model is the journal's largest record; the network subsystem writes smaller
    // ones after it. As if the machine died while setup's record was written: the journal ends
    // there, its last bytes damaged, which reads as a write cut short.
    byte[] whole = Files.readAllBytes(journal);
    byte[] bytes = java.util.Arrays.copyOf(whole, largestRecordEnd(whole));
    bytes[bytes.length - 10] ^= (byte) 0xff;
    Files.write(journal, bytes);
    try (StartdProcess startd = StartdProcess.start(dir);
        RpcClient client = startd.client()) {
      assertThat(client.call(RootApi.STATE, Empty.INSTANCE)).isEqualTo("error");
      assertThat(client.call(DiagnosticApi.ERROR, Empty.INSTANCE).message())
          .contains("will not offer setup over a damaged database");
      assertThatThrownBy(() -> client.call(SetupApi.GET_PUBKEY, Empty.INSTANCE))
          .hasMessageContaining("Method not found");
    }
  }

  /**
   * Kills the daemon as a power cut would: every confirmed change is in the journal, and there is
   * no snapshot of a clean stop, which would leave the journal empty.
   */
  private static void crash(StartdProcess startd) throws InterruptedException {
    startd.process().destroyForcibly().waitFor();
  }

  private Path newestJournal() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("data/db"))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("journal-"))
          .max(Path::compareTo)
          .orElseThrow();
    }
  }

  /**
   * Where the largest record of a journal ends (patchdb's DiskFormat: a 20-byte header, then
   * records of u32 payload length, u64 revision, two u32 CRCs, and the payload).
   */
  private static int largestRecordEnd(byte[] journal) {
    var b = java.nio.ByteBuffer.wrap(journal);
    int at = 20;
    int best = -1;
    int bestLength = -1;
    while (at + 20 <= journal.length) {
      int length = b.getInt(at);
      if (length > bestLength) {
        bestLength = length;
        best = at + 20 + length;
      }
      at += 20 + length;
    }
    return best;
  }
}
