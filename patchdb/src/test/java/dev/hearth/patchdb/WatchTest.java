package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonNull;
import dev.hearth.patchdb.json.JsonPointer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchTest {
  @TempDir Path dir;

  private static final JsonPointer STATUS = JsonPointer.parse("/packages/hello/status");

  @Test
  void nextReturnsTheNewValueOnceItChanges() throws Exception {
    try (var db = PatchDb.open(dir);
        var watch = db.watch(STATUS)) {
      assertThat(watch.value()).isEqualTo(JsonNull.INSTANCE);
      assertThat(watch.next(Duration.ofMillis(20))).isEmpty();
      db.mutate(tx -> tx.put(JsonPointer.of("packages"), Json.parse("{\"hello\":{}}")));
      db.mutate(tx -> tx.put(STATUS, Json.of("running")));
      assertThat(watch.next(Duration.ofSeconds(10))).contains(Json.of("running"));
      // Unrelated changes do not count as a change of the watched value.
      db.mutate(tx -> tx.put(JsonPointer.of("other"), Json.of(1)));
      assertThat(watch.next(Duration.ofMillis(20))).isEmpty();
    }
  }

  @Test
  void severalChangesWhileBusyAreSeenAsOne() throws Exception {
    try (var db = PatchDb.open(dir);
        var watch = db.watch(JsonPointer.of("n"))) {
      for (int i = 1; i <= 5; i++) {
        int n = i;
        db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(n)));
      }
      assertThat(watch.next(Duration.ofSeconds(10))).contains(Json.of(5));
      assertThat(watch.next(Duration.ofMillis(20))).isEmpty();
    }
  }

  @Test
  void wakeReturnsTheUnchangedValueOnce() throws Exception {
    try (var db = PatchDb.open(dir);
        var watch = db.watch(JsonPointer.of("n"))) {
      db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(1)));
      assertThat(watch.next(Duration.ofSeconds(10))).contains(Json.of(1));
      // Woken before it waits: the next wait returns at once.
      watch.wake();
      assertThat(watch.next(Duration.ofSeconds(30))).contains(Json.of(1));
      assertThat(watch.next(Duration.ofMillis(20))).isEmpty();
      // Woken while it waits, from another thread.
      var waiter = new java.util.concurrent.CompletableFuture<java.util.Optional<Json>>();
      Thread.ofVirtual()
          .start(() -> {
            try {
              waiter.complete(watch.next(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
              waiter.completeExceptionally(e);
            }
          });
      Thread.sleep(50);
      watch.wake();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).contains(Json.of(1));
      assertThat(watch.next(Duration.ofMillis(20))).isEmpty();
    }
  }

  @Test
  void awaitBlocksUntilTheValueReachesAState() throws Exception {
    try (var db = PatchDb.open(dir);
        var watch = db.watch(JsonPointer.of("n"))) {
      Thread writer =
          Thread.ofVirtual()
              .start(() -> {
                for (int i = 1; i <= 20; i++) {
                  int n = i;
                  db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(n)));
                }
              });
      assertThat(watch.await(v -> v.equals(Json.of(20)), Duration.ofSeconds(30)))
          .isEqualTo(Json.of(20));
      writer.join();
      assertThatThrownBy(() -> watch.await(v -> v.equals(Json.of(99)), Duration.ofMillis(20)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
    }
  }

  @Test
  void aListenerHearsTheCurrentValueAndThenChanges() throws Exception {
    List<Json> heard = new CopyOnWriteArrayList<>();
    var sawInitial = new CountDownLatch(1);
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(0)));
      try (var registration =
          db.onChange(
              JsonPointer.of("n"),
              v -> {
                heard.add(v);
                sawInitial.countDown();
              })) {
        assertThat(sawInitial.await(10, TimeUnit.SECONDS)).isTrue();
        db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains(Json.of(1)));
      }
      int heardBeforeClose = heard.size();
      db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(2)));
      assertThat(heard).hasSize(heardBeforeClose).doesNotContain(Json.of(2));
      assertThat(heard.getFirst()).isEqualTo(Json.of(0));
    }
  }

  @Test
  void aListenerThatThrowsKeepsListening() throws Exception {
    List<Json> heard = new CopyOnWriteArrayList<>();
    try (var db = PatchDb.open(dir);
        var registration =
            db.onChange(
                JsonPointer.of("n"),
                v -> {
                  heard.add(v);
                  throw new IllegalStateException("listener bug");
                })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
      db.mutate(tx -> tx.put(JsonPointer.of("n"), Json.of(1)));
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains(Json.of(1)));
    }
  }

  @Test
  void closingTheDatabaseEndsWatches() {
    var db = PatchDb.open(dir);
    var watch = db.watch(JsonPointer.of("n"));
    db.close();
    assertThatThrownBy(() -> watch.next(Duration.ofSeconds(1))).hasMessageContaining("closed");
  }
}
