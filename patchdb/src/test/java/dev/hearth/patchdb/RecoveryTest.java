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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening after crashes and damage: torn tails are repaired, anything else is refused. */
class RecoveryTest {
  private static final int REVISIONS = 40;
  private static final JsonPointer N = JsonPointer.of("n");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

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
    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isEqualTo(REVISIONS);
      assertThat(db.recoveredDamage()).as("zeros say nothing, so they are not kept").isEmpty();
    }
    assertThat(namesStartingWith("damaged-")).isEmpty();
    // and the database goes on from there
    try (var db = PatchDb.open(dir)) {
      assertThat(db.mutate(tx -> tx.put(N, Json.of(REVISIONS + 1))).orElseThrow().id())
          .isEqualTo(REVISIONS + 1);
    }
    assertThat(reopenRevision(dir)).isEqualTo(REVISIONS + 1);
  }

  @Test
  void aLastRecordWithABadChecksumCountsAsAnUnfinishedWriteAndIsKeptAside() throws IOException {
    Path segment = segmentWithRevisions();
    List<Long> ends = recordEnds(segment);
    flip(segment, Files.size(segment) - 3);
    byte[] lastRecord =
        Arrays.copyOfRange(
            Files.readAllBytes(segment),
            ends.get(ends.size() - 2).intValue(),
            ends.getLast().intValue());
    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isEqualTo(REVISIONS - 1);
      RecoveredTail tail = db.recoveredDamage().getFirst();
      assertThat(tail.reason()).isEqualTo("a last record with a bad checksum");
      assertThat(Files.readAllBytes(tail.keptAt())).isEqualTo(lastRecord);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 19, 21, 100, 64 * 1024})
  void garbageAfterTheLastRecordIsCutOffKeptAsideAndReported(int size) throws IOException {
    Path segment = segmentWithRevisions();
    long end = Files.size(segment);
    byte[] garbage = garbage(size, 0x6A7BA6EL + size);
    Files.write(segment, garbage, StandardOpenOption.APPEND);

    RecoveredTail tail;
    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isEqualTo(REVISIONS);
      for (int i = 1; i <= REVISIONS; i++) {
        assertThat(db.snapshot().get(JsonPointer.of("k" + i))).contains(Json.of("value " + i));
      }
      assertThat(db.recoveredDamage()).hasSize(1);
      tail = db.recoveredDamage().getFirst();
      assertThat(db.mutate(tx -> tx.put(N, Json.of(REVISIONS + 1))).orElseThrow().id())
          .isEqualTo(REVISIONS + 1);
    }
    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isEqualTo(REVISIONS + 1);
      assertThat(db.snapshot().get(N)).contains(Json.of(REVISIONS + 1));
      assertThat(db.recoveredDamage()).as("the journal ends cleanly now").isEmpty();
    }

    assertThat(tail.segment()).isEqualTo(segment);
    assertThat(tail.offset()).isEqualTo(end);
    assertThat(tail.bytes()).isEqualTo(size);
    assertThat(tail.reason()).isNotBlank();
    assertThat(tail.keptAt()).isEqualTo(onlyFile("damaged-"));
    assertThat(Files.readAllBytes(tail.keptAt())).isEqualTo(garbage);
    assertThat(Files.getPosixFilePermissions(tail.keptAt())).isEqualTo(OWNER_ONLY);
    assertThat(recordEnds(segment)).contains(end).last().isEqualTo(Files.size(segment));
  }

  @Test
  void aTailCutOffAgainAtTheSamePlaceIsKeptBesideTheFirst() throws IOException {
    Path segment = segmentWithRevisions();
    long end = Files.size(segment);
    Path earlier = dir.resolve(DiskFormat.damagedTailName(1, end, 1));
    Files.write(earlier, new byte[] {1, 2, 3});
    byte[] garbage = garbage(50, 0xA6A1L);
    Files.write(segment, garbage, StandardOpenOption.APPEND);

    try (var db = PatchDb.open(dir)) {
      Path kept = db.recoveredDamage().getFirst().keptAt();
      assertThat(kept).isNotEqualTo(earlier);
      assertThat(Files.readAllBytes(kept)).isEqualTo(garbage);
    }
    assertThat(Files.readAllBytes(earlier)).containsExactly(1, 2, 3);
  }

  @Test
  void keptTailsAreNeverTakenForSegmentsOrSnapshots() {
    String name = DiskFormat.damagedTailName(41, 4269, 2);
    assertThat(DiskFormat.segmentFirst(name)).isEmpty();
    assertThat(DiskFormat.snapshotRevision(name)).isEmpty();
    assertThat(DiskFormat.isUnfinishedSnapshot(name)).isFalse();
  }

  @Test
  void aRecordAfterDamageIsRecognisedOnlyWithARevisionThatCouldFollow() {
    byte[] record = DiskFormat.record(7, "[]".getBytes()).array();
    byte[] bytes = new byte[100 + record.length];
    System.arraycopy(garbage(100, 7), 0, bytes, 0, 100);
    System.arraycopy(record, 0, bytes, 100, record.length);
    assertThat(Recovery.nextValidRecord(bytes, 0, 7)).isEqualTo(100);
    assertThat(Recovery.nextValidRecord(bytes, 0, 3))
        .as("4 revisions fit in 100 bytes")
        .isEqualTo(100);
    assertThat(Recovery.nextValidRecord(bytes, 0, 8)).as("an older revision").isEqualTo(-1);
    assertThat(Recovery.nextValidRecord(bytes, 0, 1))
        .as("6 revisions cannot fit in 100 bytes")
        .isEqualTo(-1);
  }

  @Test
  void garbageOverRecordsInTheNewestSegmentIsRefusedWhenARecordFollowsIt() throws IOException {
    Path segment = segmentWithRevisions();
    List<Long> ends = recordEnds(segment);
    long damagedRecord = ends.get(10);
    byte[] damaged = Files.readAllBytes(segment);
    byte[] garbage = garbage(100, 0xD1DL);
    System.arraycopy(garbage, 0, damaged, (int) damagedRecord + 3, garbage.length);
    Files.write(segment, damaged);

    assertThatThrownBy(() -> PatchDb.open(dir).close())
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
        .hasMessageContaining(segment.toString())
        .hasMessageContaining("damaged at byte " + damagedRecord + ":");
    assertThat(Files.readAllBytes(segment)).as("nothing is truncated").isEqualTo(damaged);
    assertThat(namesStartingWith("damaged-")).isEmpty();
  }

  @Test
  void garbageAfterTheLastRecordOfAnOlderSegmentIsRefused() throws IOException {
    Path older = segmentWithRevisions();
    try (var newest = JournalWriter.create(dir, REVISIONS + 1)) {
      newest.append(DiskFormat.record(REVISIONS + 1, "[]".getBytes()));
      newest.force();
    }
    long end = Files.size(older);
    Files.write(older, garbage(100, 0x01DL), StandardOpenOption.APPEND);
    byte[] damaged = Files.readAllBytes(older);

    assertThatThrownBy(() -> PatchDb.open(dir).close())
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
        .hasMessageContaining(older.toString())
        .hasMessageContaining("damaged at byte " + end + ":");
    assertThat(Files.readAllBytes(older)).as("nothing is truncated").isEqualTo(damaged);
    assertThat(namesStartingWith("damaged-")).isEmpty();
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

  private List<String> namesStartingWith(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(prefix))
          .toList();
    }
  }

  /** Random bytes that are not all zeros, so they cannot pass for a zeroed tail. */
  private static byte[] garbage(int size, long seed) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    bytes[0] |= 1;
    return bytes;
  }

  private static void flip(Path file, long position) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) position] ^= 0x5A;
    Files.write(file, bytes);
  }
}
