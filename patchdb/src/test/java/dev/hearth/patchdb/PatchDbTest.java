package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonNumber;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.JsonString;
import dev.hearth.patchdb.json.PatchOp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchDbTest {
  @TempDir Path dir;

  record Server(String name, int port) {
    Server withPort(int p) {
      return new Server(name, p);
    }
  }

  private static final DbPath<Server> SERVER = DbPath.of(JsonPointer.of("server"), Server.class);
  private static final JsonPointer COUNTER = JsonPointer.of("counter");

  @Test
  void aChangeBecomesTheNextRevisionWithItsPatch() {
    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isZero();
      Optional<Revision> r = db.mutate(tx -> tx.put(COUNTER, Json.of(1)));
      assertThat(r).isPresent();
      assertThat(r.get().id()).isEqualTo(1);
      assertThat(r.get().patch().ops()).containsExactly(new PatchOp.Add(COUNTER, JsonNumber.of(1)));
      assertThat(db.sequence()).isEqualTo(1);
      assertThat(db.snapshot().get(COUNTER)).contains(Json.of(1));
    }
  }

  @Test
  void aTransactionThatChangesNothingMakesNoRevision() {
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> tx.put(COUNTER, Json.of(1)));
      assertThat(db.mutate(tx -> tx.put(COUNTER, Json.of(1)))).isEmpty();
      assertThat(db.mutate(tx -> {})).isEmpty();
      assertThat(db.sequence()).isEqualTo(1);
      assertThat(db.mutate(tx -> tx.put(COUNTER, Json.of(2))).orElseThrow().id()).isEqualTo(2);
    }
  }

  @Test
  void aTransactionThatThrowsAppliesNothing() {
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> tx.put(COUNTER, Json.of(1)));
      assertThatThrownBy(() ->
              db.mutate(tx -> {
                tx.put(COUNTER, Json.of(99));
                tx.put(JsonPointer.of("other"), Json.of("x"));
                throw new StartException(ErrorKind.INVALID_REQUEST, "changed my mind");
              }))
          .hasMessage("changed my mind");
      assertThat(db.snapshot().root()).isEqualTo(Json.parse("{\"counter\":1}"));
      assertThat(db.sequence()).isEqualTo(1);
    }
    try (var db = PatchDb.open(dir)) {
      assertThat(db.snapshot().root()).isEqualTo(Json.parse("{\"counter\":1}"));
    }
  }

  @Test
  void aSnapshotNeverChangesUnderItsReader() {
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> tx.put(SERVER, new Server("box", 80)));
      Snapshot before = db.snapshot();
      db.mutate(tx -> tx.update(SERVER, s -> s.withPort(443)));
      assertThat(before.get(SERVER)).contains(new Server("box", 80));
      assertThat(before.revision()).isEqualTo(1);
      assertThat(db.snapshot().get(SERVER)).contains(new Server("box", 443));
    }
  }

  @Test
  void typedPathsReadAndWriteRecords() {
    try (var db = PatchDb.open(dir)) {
      Commit<Integer> c =
          db.transact(tx -> {
            tx.put(SERVER, new Server("box", 80));
            return tx.update(SERVER, s -> s.withPort(8080)).port();
          });
      assertThat(c.value()).isEqualTo(8080);
      assertThat(db.snapshot().root())
          .isEqualTo(Json.parse("{\"server\":{\"name\":\"box\",\"port\":8080}}"));
      assertThatThrownBy(() ->
              db.mutate(
                  tx -> tx.update(DbPath.of(JsonPointer.of("nothing"), Server.class), s -> s)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }
  }

  @Test
  void everythingCommittedIsThereAfterReopening() {
    try (var db = PatchDb.open(dir)) {
      for (int i = 1; i <= 50; i++) {
        int n = i;
        db.mutate(tx -> tx.put(COUNTER, Json.of(n)));
      }
      db.mutate(tx -> tx.apply(patchRemovingCounterAndAddingDone()));
    }
    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isEqualTo(51);
      assertThat(db.snapshot().root()).isEqualTo(Json.parse("{\"done\":true}"));
      assertThat(db.mutate(tx -> tx.put(COUNTER, Json.of(0))).orElseThrow().id()).isEqualTo(52);
    }
  }

  private static JsonPatch patchRemovingCounterAndAddingDone() {
    return new JsonPatch(
        List.of(
            new PatchOp.Remove(COUNTER), new PatchOp.Add(JsonPointer.of("done"), Json.of(true))));
  }

  @Test
  void concurrentTransactionsAreSerializedWithConsecutiveRevisions() throws Exception {
    try (var db = PatchDb.open(dir);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      db.mutate(tx -> tx.put(COUNTER, Json.of(0)));
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(() -> {
              List<Long> ids = new ArrayList<>();
              for (int i = 0; i < 25; i++) {
                ids.add(db.mutate(PatchDbTest::increment).orElseThrow().id());
              }
              return ids;
            }));
      }
      List<Long> all = new ArrayList<>();
      for (var f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(200).doesNotHaveDuplicates();
      assertThat(all).allMatch(id -> id >= 2 && id <= 201);
      assertThat(db.snapshot().get(COUNTER)).contains(Json.of(200));
    }
  }

  private static void increment(Tx tx) {
    var n = (JsonNumber) tx.get(COUNTER).orElseThrow();
    tx.put(COUNTER, Json.of(n.value().longValueExact() + 1));
  }

  @Test
  void concurrentCommitsShareOneFsync() throws Exception {
    int writers = 8;
    try (var db = PatchDb.open(dir);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      db.mutate(tx -> tx.put(COUNTER, Json.of(0)));
      long fsyncsBefore = db.stats().fsyncs();
      var firstLeaderWaiting = new CountDownLatch(1);
      // The first leader waits, before its fsync, until every other writer has appended; they
      // then queue behind it and the next leader's single fsync covers them all.
      db.beforeSync(target -> {
        if (firstLeaderWaiting.getCount() == 1) {
          firstLeaderWaiting.countDown();
          awaitRevision(db, 1 + writers);
        }
      });
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        futures.add(pool.submit(() -> db.mutate(PatchDbTest::increment)));
      }
      for (var f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(db.snapshot().get(COUNTER)).contains(Json.of(writers));
      // Two when the first leader read its target before the others appended, one when they had
      // all appended by then (a busy machine schedules them so); one per commit without sharing.
      assertThat(db.stats().fsyncs() - fsyncsBefore).isBetween(1L, 2L);
    }
  }

  /** Spins until the journal holds {@code revision}; only inside the test seam. */
  private static void awaitRevision(PatchDb db, long revision) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (db.headRevisionForTest() < revision) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("writers never appended");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    try (var db = PatchDb.open(dir)) {
      assertThatThrownBy(() -> PatchDb.open(dir))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
          .hasMessageContaining("already open in this process");
    }
    PatchDb.open(dir).close(); // released on close
  }

  @Test
  void aTransactionCannotStartAnotherOnTheSameDatabase() {
    try (var db = PatchDb.open(dir)) {
      assertThatThrownBy(() -> db.mutate(tx -> db.mutate(inner -> {})))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void anOversizedChangeIsRefusedAndNothingIsWritten() {
    try (var db = PatchDb.open(dir, PatchDbOptions.defaults().withMaxRevisionBytes(1000))) {
      assertThatThrownBy(() -> db.mutate(tx -> tx.put(COUNTER, Json.of("x".repeat(2000)))))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
          .hasMessageContaining("over the limit of 1000");
      assertThat(db.mutate(tx -> tx.put(COUNTER, Json.of(1))).orElseThrow().id()).isEqualTo(1);
    }
  }

  @Test
  void aClosedDatabaseRefusesWrites() {
    var db = PatchDb.open(dir);
    db.close();
    assertThatThrownBy(() -> db.mutate(tx -> tx.put(COUNTER, Json.of(1))))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
        .hasMessageContaining("closed");
  }

  @Test
  void compactionWritesASnapshotAndDropsTheJournalItCovers() throws Exception {
    var options = PatchDbOptions.defaults().withCompactAfterBytes(4096);
    Json expected;
    try (var db = PatchDb.open(dir, options)) {
      for (int i = 0; i < 300; i++) {
        int n = i;
        db.mutate(tx -> tx.put(JsonPointer.of("k" + (n % 10)), new JsonString("v".repeat(n))));
      }
      awaitCompactions(db);
      expected = db.snapshot().root();
      assertThat(db.sequence()).isEqualTo(300);
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names.stream().filter(n -> n.startsWith("snapshot-"))).hasSize(1);
      assertThat(names.stream().filter(n -> n.startsWith("journal-")).count()).isLessThan(4);
      assertThat(names).noneMatch(n -> n.endsWith(".tmp"));
    }
    try (var db = PatchDb.open(dir, options)) {
      assertThat(db.sequence()).isEqualTo(300);
      assertThat(db.snapshot().root()).isEqualTo(expected);
    }
  }

  private static void awaitCompactions(PatchDb db) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (db.stats().compactions() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(db.stats().compactions()).isPositive();
  }

  @Test
  void openingAfterALongJournalWritesASnapshotSoTheNextOpenNeedNotReplayIt(@TempDir Path crashed)
      throws Exception {
    try (var db = PatchDb.open(dir)) {
      for (int i = 0; i < PatchDb.REPLAY_COMPACTION_REVISIONS; i++) {
        int n = i;
        db.mutate(tx -> tx.put(COUNTER, Json.of(n)));
      }
      // The files as a process killed now leaves them: every revision durable, no snapshot of
      // closing (a clean close would have written one).
      copyFiles(dir, crashed);
    }
    try (var db = PatchDb.open(crashed)) {
      awaitCompactions(db);
    }
    assertThat(names(crashed)).anyMatch(n -> n.startsWith("snapshot-"));
    try (var db = PatchDb.open(crashed)) {
      assertThat(db.snapshot().get(COUNTER))
          .contains(Json.of(PatchDb.REPLAY_COMPACTION_REVISIONS - 1));
    }
  }

  @Test
  void closingAfterEnoughRevisionsLeavesASnapshotAndAnEmptyJournal() throws Exception {
    try (var db = PatchDb.open(dir)) {
      for (int i = 0; i < PatchDb.CLOSE_COMPACTION_REVISIONS; i++) {
        int n = i;
        db.mutate(tx -> tx.put(COUNTER, Json.of(n)));
      }
    }
    String snapshot = DiskFormat.snapshotName(PatchDb.CLOSE_COMPACTION_REVISIONS);
    String journal = DiskFormat.segmentName(PatchDb.CLOSE_COMPACTION_REVISIONS + 1);
    assertThat(names(dir)).contains(snapshot, journal).noneMatch(n -> n.endsWith(".tmp"));
    // Nothing left to replay: the next open reads the snapshot alone.
    assertThat(Files.size(dir.resolve(journal))).isEqualTo(DiskFormat.SEGMENT_HEADER_BYTES);
    assertThat(names(dir).stream().filter(n -> n.startsWith("journal-"))).hasSize(1);
    try (var db = PatchDb.open(dir)) {
      assertThat(db.snapshot().get(COUNTER))
          .contains(Json.of(PatchDb.CLOSE_COMPACTION_REVISIONS - 1));
      assertThat(db.sequence()).isEqualTo(PatchDb.CLOSE_COMPACTION_REVISIONS);
    }
  }

  @Test
  void closingAfterAFewRevisionsWritesNoSnapshot() throws Exception {
    try (var db = PatchDb.open(dir)) {
      for (int i = 0; i < PatchDb.CLOSE_COMPACTION_REVISIONS - 1; i++) {
        int n = i;
        db.mutate(tx -> tx.put(COUNTER, Json.of(n)));
      }
    }
    assertThat(names(dir)).noneMatch(n -> n.startsWith("snapshot-"));
  }

  private static List<String> names(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static void copyFiles(Path from, Path to) throws java.io.IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  void aNewDatabaseStartsFromTheInitialDocument() {
    Json initial = Json.parse("{\"public\":{},\"private\":{}}");
    try (var db = PatchDb.open(dir, PatchDbOptions.defaults().withInitialDocument(initial))) {
      assertThat(db.snapshot().root()).isEqualTo(initial);
      assertThat(db.sequence()).isZero();
    }
    try (var db = PatchDb.open(dir)) {
      assertThat(db.snapshot().root()).isEqualTo(JsonObject.EMPTY); // nothing was committed
    }
  }
}
