package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PatchDbOptions.maxLoadBytes: a database too big to load is refused before it is read. */
class LoadLimitTest {
  @TempDir Path dir;

  /** The snapshot and journal segments of the database, as opening would load them. */
  private long loadBytes;

  /** A database with a snapshot and records after it, in a snapshot and one journal segment. */
  @BeforeEach
  void databaseWithASnapshotAndAJournal() throws IOException {
    try (var db = PatchDb.open(dir, PatchDbOptions.defaults().withCompactAfterBytes(4096))) {
      for (int i = 0; i < 100; i++) {
        int n = i;
        db.mutate(tx -> tx.put(JsonPointer.of("k" + n % 10), Json.of("v".repeat(n))));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> db.stats().compactions() > 0);
      db.mutate(tx -> tx.put(JsonPointer.of("after"), Json.of("the snapshot")));
    }
    Map<String, String> files = contents();
    assertThat(files.keySet().stream().filter(n -> n.startsWith("snapshot-"))).hasSize(1);
    assertThat(files.keySet().stream().filter(n -> n.startsWith("journal-"))).hasSize(1);
    loadBytes =
        files.entrySet().stream()
            .filter(e -> e.getKey().startsWith("snapshot-") || e.getKey().startsWith("journal-"))
            .mapToLong(e -> e.getValue().length() / 2)
            .sum();
  }

  @Test
  void aDatabaseOverTheLimitIsRefusedNamingItsSizeAndTheLimitAndNothingChanges()
      throws IOException {
    // Things opening would repair, had it gone ahead: an unfinished snapshot and a torn tail.
    Files.write(dir.resolve(DiskFormat.unfinishedSnapshotName(1)), new byte[] {1});
    try (Stream<Path> files = Files.list(dir)) {
      Path journal =
          files.filter(p -> p.getFileName().toString().startsWith("journal-")).findFirst().get();
      Files.write(journal, new byte[] {7, 7, 7}, StandardOpenOption.APPEND);
    }
    Map<String, String> before = contents();
    long limit = loadBytes + 2; // the 3 bytes of tail count: they are read too

    assertThatThrownBy(() -> PatchDb.open(dir, PatchDbOptions.defaults().withMaxLoadBytes(limit)))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is " + (loadBytes + 3) + " bytes on disk")
        .hasMessageContaining("over the limit of " + limit + " bytes")
        .hasMessageContaining("maxLoadBytes")
        .hasMessageContaining("nothing was changed on disk");
    assertThat(contents()).isEqualTo(before);
  }

  @Test
  void theLimitIsCheckedFromFileSizesBeforeAnythingIsRead() throws IOException {
    Path snapshot;
    try (Stream<Path> files = Files.list(dir)) {
      snapshot =
          files.filter(p -> p.getFileName().toString().startsWith("snapshot-")).findFirst().get();
    }
    byte[] damaged = Files.readAllBytes(snapshot);
    damaged[damaged.length / 2] ^= 0x5A;
    Files.write(snapshot, damaged);

    assertThatThrownBy(
            () -> PatchDb.open(dir, PatchDbOptions.defaults().withMaxLoadBytes(loadBytes - 1)))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("maxLoadBytes")
        .hasMessageNotContaining("damaged");
  }

  @Test
  void aDatabaseAtTheLimitOpens() {
    try (var db = PatchDb.open(dir, PatchDbOptions.defaults().withMaxLoadBytes(loadBytes))) {
      assertThat(db.snapshot().get(JsonPointer.of("after"))).contains(Json.of("the snapshot"));
    }
  }

  @Test
  void theLimitMustBePositive() {
    assertThatThrownBy(() -> PatchDbOptions.defaults().withMaxLoadBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLoadBytes must be > 0: 0");
  }

  @Test
  void byDefaultThereIsNoLimit() {
    assertThat(PatchDbOptions.defaults().maxLoadBytes()).isEqualTo(Long.MAX_VALUE);
  }

  /** Every file's name and content, in hex so that maps of them compare by content. */
  private Map<String, String> contents() throws IOException {
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        contents.put(
            file.getFileName().toString(), HexFormat.of().formatHex(Files.readAllBytes(file)));
      }
    }
    return contents;
  }
}
