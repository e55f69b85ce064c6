package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.DbApi;
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
    Path journal;
    try (StartdProcess startd = StartdProcess.start(dir)) {
      Servers.setUp(startd, "Damaged");
    }
    try (Stream<Path> files = Files.list(dir.resolve("data/db"))) {
      journal =
          files
              .filter(f -> f.getFileName().toString().startsWith("journal-"))
              .max(Path::compareTo)
              .orElseThrow();
    }
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
}
