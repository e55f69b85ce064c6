package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening after crashes and damage: torn tails are repaired, anything else is refused. */
class RecoveryTest {
  private static final int REVISIONS = 40;
  private static final JsonPointer N = JsonPointer.of("n");

  @TempDir Path dir;

  /** A database with revisions 1..40, each setting /n to its number and adding a key. */
  private Path segmentWithRevisions() {
    try (var db = PatchDb.open(dir)) {
      for (int i = 1; i <= REVISIONS; i++) {
        int n = i;
        db.mutate(tx -> {
          tx.put(N, Json.of(n));
          tx.put(JsonPointer.of("k" + n), Json.of("value " + n));
        });
      }
    }
    return dir.resolve(DiskFormat.segmentName(1));
  }

  private static long reopenRevision(Path dir) {
    try (var db = PatchDb.open(dir)) {
      assertThat(db.snapshot().get(N)).contains(Json.of(db.sequence()));
      return db.sequence();
    }
  }

  @Test
  void aPartialRecordHeaderAtTheEndIsDropped() throws IOException {
    Path segment = segmentWithRevisions();
    byte[] next = DiskFormat.record(REVISIONS + 1, "[]".getBytes()).array();
    Files.write(segment, Arrays.copyOf(next, 11), StandardOpenOption.APPEND);
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS);
    assertThat(Files.size(segment)).isEqualTo(recordEnds(segment).getLast());
  }

  @Test
  void aRecordCutShortAtTheEndIsDropped() throws IOException {
    Path segment = segmentWithRevisions();
    byte[] payload = "[{\"op\":\"add\",\"path\":\"/n\",\"value\":41}]".getBytes();
    byte[] next = DiskFormat.record(REVISIONS + 1, payload).array();
    Files.write(segment, Arrays.copyOf(next, next.length - 5), StandardOpenOption.APPEND);
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS);
  }

  @Test
  void zerosAtTheEndAreDropped() throws IOException {
    Path segment = segmentWithRevisions();
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND);
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS);
    // and the database goes on from there
    try (var db = PatchDb.open(dir)) {
      assertThat(db.mutate(tx -> tx.put(N, Json.of(REVISIONS + 1))).orElseThrow().id())
          .isEqualTo(REVISIONS + 1);
    }
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS + 1);
  }

  @Test
  void aLastRecordWithABadChecksumCountsAsAnUnfinishedWrite() throws IOException {
    Path segment = segmentWithRevisions();
    flip(segment, Files.size(segment) - 3);
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS - 1);
  }

  @Test
  void damageBeforeTheEndIsRefusedNamingTheFileAndTheRecordPosition() throws IOException {
    Path pristine = segmentWithRevisions();
    byte[] original = Files.readAllBytes(pristine);
    List<Long> ends = recordEnds(pristine);
    long lastRecordStart = ends.get(ends.size() - 2);
    var random = new SplittableRandom(0xBADL);
    for (int trial = 0; trial < 60; trial++) {
      Files.write(pristine, original);
      long position = random.nextLong(DiskFormat.SEGMENT_HEADER_BYTES, lastRecordStart);
      byte[] damaged = original.clone();
      damaged[(int) position] ^= (byte) (1 + random.nextInt(255));
      Files.write(pristine, damaged);
      long recordStart = ends.stream().filter(e -> e <= position).max(Long::compare).orElseThrow();
      long at = position;
      assertThatThrownBy(() -> PatchDb.open(dir).close())
          .as("byte %d flipped", at)
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
          .hasMessageContaining(pristine.toString())
          .hasMessageContaining("damaged at byte " + recordStart + ":");
      assertThat(Files.readAllBytes(pristine)).as("nothing is truncated").isEqualTo(damaged);
    }
  }

  @Test
  void aDamagedSnapshotIsRefused() throws IOException, InterruptedException {
    compactedDatabase();
    Path snapshot = onlyFile("snapshot-");
    flip(snapshot, Files.size(snapshot) / 2);
    assertThatThrownBy(() -> PatchDb.open(dir).close())
        .isInstanceOf(StartException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("document checksum does not match");
  }

  @Test
  void missingRevisionsBetweenFilesAreRefused() throws IOException, InterruptedException {
    compactedDatabase();
    Files.delete(onlyFile("snapshot-"));
    assertThatThrownBy(() -> PatchDb.open(dir).close())
        .isInstanceOf(StartException.class)
        .hasMessageContaining("revisions 1 to ")
        .hasMessageContaining("are missing");
  }

  @Test
  void anUnfinishedSnapshotIsIgnoredAndRemoved() throws IOException {
    segmentWithRevisions();
    Path temp = dir.resolve(DiskFormat.snapshotName(REVISIONS) + ".tmp");
    Files.write(temp, new byte[] {1, 2, 3});
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS);
    assertThat(temp).doesNotExist();
  }

  @Test
  void aNewestSegmentWhoseHeaderNeverReachedTheDiskIsStartedOver() throws IOException {
    segmentWithRevisions();
    Path torn = dir.resolve(DiskFormat.segmentName(REVISIONS + 1));
    Files.write(torn, new byte[] {'H', 'P', 'D'});
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS);
    assertThat(Files.size(torn)).isEqualTo(DiskFormat.SEGMENT_HEADER_BYTES);
  }

  /** Offsets where records end (and the next begins), starting with the segment header's end. */
  private static List<Long> recordEnds(Path segment) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<Long> ends = new ArrayList<>();
    long at = DiskFormat.SEGMENT_HEADER_BYTES;
    ends.add(at);
    while (at + DiskFormat.RECORD_HEADER_BYTES <= b.limit()) {
      at += DiskFormat.RECORD_HEADER_BYTES + b.getInt((int) at);
      ends.add(at);
    }
    return ends;
  }

  private void compactedDatabase() throws InterruptedException {
    try (var db = PatchDb.open(dir, PatchDbOptions.defaults().withCompactAfterBytes(2048))) {
      for (int i = 1; i <= 200; i++) {
        int n = i;
        db.mutate(tx -> tx.put(N, Json.of(n)));
        db.mutate(tx -> tx.put(JsonPointer.of("pad"), Json.of("x".repeat(n))));
      }
      while (db.stats().compactions() == 0) {
        Thread.sleep(5);
      }
    }
  }

  private Path onlyFile(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matching =
          files
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .sorted(Comparator.naturalOrder())
              .toList();
      assertThat(matching).hasSize(1);
      return matching.getFirst();
    }
  }

  private static void flip(Path file, long position) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) position] ^= 0x5A;
    Files.write(file, bytes);
  }
}
