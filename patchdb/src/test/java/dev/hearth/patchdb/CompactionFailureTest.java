package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPointer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot that cannot be written costs nothing: the journal keeps every revision, commits go on,
 * and the next roll tries again.
 */
class CompactionFailureTest {
  private static final long COMPACT_AFTER_BYTES = 2048;
  private static final JsonPointer BOMB = JsonPointer.of("bomb");

  @TempDir Path dir;

  @Test
  void aSnapshotThatCannotBeWrittenLosesNothingAndIsRetriedAtALaterRoll() throws IOException {
    var options = PatchDbOptions.defaults().withCompactAfterBytes(COMPACT_AFTER_BYTES);
    Json expected;
    try (var db = PatchDb.open(dir, options)) {
      // A non-empty directory where each snapshot's temporary file would go: every write fails.
      List<Path> blockers = new ArrayList<>();
      for (long revision = 1; revision <= 100; revision++) {
        Path blocker = dir.resolve(DiskFormat.unfinishedSnapshotName(revision));
        Files.createDirectories(blocker);
        blockers.add(Files.createFile(blocker.resolve("in-the-way")));
      }
      commit(db, 1, 100);
      assertThat(db.stats().compactions()).isZero();
      assertThat(names("snapshot-")).noneMatch(name -> name.endsWith(".db"));
      assertThat(names("journal-"))
          .as("the journal rolled after each failed snapshot")
          .hasSizeGreaterThan(2);

      for (Path blocker : blockers) {
        Files.delete(blocker);
        Files.delete(blocker.getParent());
      }
      commit(db, 101, 200);
      await().atMost(Duration.ofSeconds(30)).until(() -> db.stats().compactions() > 0);
      expected = db.snapshot().root();
    }
    assertReopensAt(200, expected, PatchDbOptions.defaults());
  }

  @Test
  void runningOutOfHeapWhileWritingASnapshotLosesNothingAndIsRetriedAtALaterRoll()
      throws IOException {
    var options =
        PatchDbOptions.defaults()
            .withCompactAfterBytes(COMPACT_AFTER_BYTES)
            .withCodec(new JsonCodec(new ObjectMapper(new BombFactory())));
    Json expected;
    try (var db = PatchDb.open(dir, options)) {
      db.mutate(tx -> tx.put(BOMB, Json.of("any document holding this member fails to serialize")));
      commit(db, 2, 100);
      assertThat(db.stats().compactions()).isZero();
      assertThat(names("snapshot-")).as("nor is a temporary file left").isEmpty();
      assertThat(names("journal-"))
          .as("the journal rolled after each failed snapshot")
          .hasSizeGreaterThan(2);

      db.mutate(tx -> tx.remove(BOMB));
      commit(db, 102, 200);
      await().atMost(Duration.ofSeconds(30)).until(() -> db.stats().compactions() > 0);
      expected = db.snapshot().root();
    }
    assertReopensAt(200, expected, options);
  }

  /** Commits revisions {@code from..to}, each setting /n to its number and adding a key. */
  private static void commit(PatchDb db, int from, int to) {
    for (int i = from; i <= to; i++) {
      int n = i;
      long id =
          db.mutate(
                  tx -> {
                    tx.put(JsonPointer.of("n"), Json.of(n));
                    tx.put(JsonPointer.of("k" + n), Json.of("value " + n));
                  })
              .orElseThrow()
              .id();
      assertThat(id).isEqualTo(n);
    }
  }

  /** Reopening finds every revision, and the document as it was before closing. */
  private void assertReopensAt(long revision, Json document, PatchDbOptions options) {
    try (var db = PatchDb.open(dir, options)) {
      assertThat(db.sequence()).isEqualTo(revision);
      assertThat(db.snapshot().root()).isEqualTo(document);
    }
  }

  private List<String> names(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(prefix))
          .toList();
    }
  }

  /**
   * JSON output that runs out of memory on an object member named "bomb", as serializing a huge
   * document would. Journal records never name a member (a patch holds paths as strings), so only
   * snapshots of a document holding /bomb fail.
   */
  private static final class BombFactory extends JsonFactory {
    BombFactory() {}

    private BombFactory(BombFactory source) {
      super(source, null);
    }

    @Override
    public JsonFactory copy() {
      return new BombFactory(this);
    }

    @Override
    public JsonGenerator createGenerator(OutputStream out, JsonEncoding encoding)
        throws IOException {
      return new JsonGeneratorDelegate(super.createGenerator(out, encoding)) {
        @Override
        public void writeFieldName(String name) throws IOException {
          if (name.equals("bomb")) {
            throw new OutOfMemoryError("Java heap space (a test's stand-in)");
          }
          super.writeFieldName(name);
        }
      };
    }
  }
}
