package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.PatchOp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionTest {
  @TempDir Path dir;

  private static final Json INITIAL =
      Json.parse("{\"public\":{\"packages\":{}},\"private\":{\"password\":\"hash\"}}");
  private static final JsonPointer PUBLIC = JsonPointer.of("public");
  private static final JsonPointer PRIVATE = JsonPointer.of("private");

  private PatchDb open() {
    return PatchDb.open(dir, PatchDbOptions.defaults().withInitialDocument(INITIAL));
  }

  @Test
  void aSubscriberGetsADumpThenOnlyThePatchesThatTouchItsSubtreeReRooted() throws Exception {
    try (var db = open();
        var sub = db.subscribe(PUBLIC)) {
      assertThat(sub.dump()).isEqualTo(new Dump(0, Json.parse("{\"packages\":{}}")));
      db.mutate(tx -> tx.put(JsonPointer.parse("/public/packages/hello"), Json.of("installed")));
      db.mutate(tx -> tx.put(JsonPointer.parse("/private/password"), Json.of("other")));
      db.mutate(tx -> tx.put(JsonPointer.parse("/public/name"), Json.of("box")));

      Revision first = sub.next();
      assertThat(first.id()).isEqualTo(1);
      assertThat(first.patch().ops())
          .containsExactly(
              new PatchOp.Add(JsonPointer.parse("/packages/hello"), Json.of("installed")));
      Revision second = sub.next();
      assertThat(second.id()).isEqualTo(3); // revision 2 touched only /private
      assertThat(sub.poll(Duration.ZERO)).isEmpty();
    }
  }

  @Test
  void underConcurrentWritesASubscriberNeverMissesOrRepeatsARevision() throws Exception {
    int writers = 4;
    int perWriter = 60;
    try (var db = open();
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int id = t;
        futures.add(
            pool.submit(() -> {
              for (int i = 0; i < perWriter; i++) {
                int n = i;
                db.mutate(tx -> {
                  tx.put(JsonPointer.parse("/public/packages/p" + id), Json.of(n));
                  tx.put(JsonPointer.parse("/private/w" + id), Json.of(n));
                });
              }
            }));
      }
      // Subscribe while the writers run, then follow the stream to the end.
      Thread.sleep(5);
      try (var sub = db.subscribe(PUBLIC)) {
        for (var f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }
        long last = db.sequence();
        Json value = sub.dump().value();
        long id = sub.dump().id();
        while (id < last) {
          Revision r = sub.poll(Duration.ofSeconds(10)).orElseThrow();
          assertThat(r.id()).isGreaterThan(id);
          value = r.patch().apply(value);
          id = r.id();
        }
        assertThat(value).isEqualTo(db.snapshot().root().atOrNull(PUBLIC));
        assertThat(sub.poll(Duration.ZERO)).isEmpty();
      }
    }
  }

  @Test
  void aSequenceNumberAnyoneReadsIsAlreadyInEverySubscribersBuffer() throws Exception {
    // A client told "sequence n" (X-Patch-Sequence, a nudge) must find revision n on its stream.
    try (var db = open();
        var sub = db.subscribe(JsonPointer.ROOT)) {
      Thread writer =
          Thread.ofVirtual()
              .start(() -> {
                for (int i = 0; i < 2000; i++) {
                  int n = i;
                  db.mutate(tx -> tx.put(JsonPointer.parse("/public/n"), Json.of(n)));
                }
              });
      long seen = 0;
      while (seen < 2000) {
        long sequence = db.sequence();
        while (seen < sequence) {
          var r = sub.poll(Duration.ZERO);
          assertThat(r)
              .as("revision after %d while the sequence is %d", seen, sequence)
              .isPresent();
          seen = r.get().id();
        }
      }
      writer.join();
    }
  }

  @Test
  void aSubscriberThatFallsBehindIsCutOffAfterItsBufferedRevisions() throws Exception {
    try (var db =
            PatchDb.open(
                dir,
                PatchDbOptions.defaults()
                    .withInitialDocument(INITIAL)
                    .withSubscriberBufferRevisions(3));
        var sub = db.subscribe(PUBLIC)) {
      for (int i = 0; i < 5; i++) {
        int n = i;
        db.mutate(tx -> tx.put(JsonPointer.parse("/public/n"), Json.of(n)));
      }
      assertThat(sub.ending()).contains(Subscription.Ending.FELL_BEHIND);
      assertThat(List.of(sub.next().id(), sub.next().id(), sub.next().id()))
          .containsExactly(1L, 2L, 3L);
      assertThatThrownBy(sub::next)
          .isInstanceOf(StartException.class)
          .hasMessageContaining("fell more than 3 revisions behind");
      // A fresh subscription starts from the current state.
      try (var again = db.subscribe(PUBLIC)) {
        assertThat(again.dump().id()).isEqualTo(5);
      }
    }
  }

  @Test
  void wakeReturnsAnEmptyPollOnlyAfterTheBufferedRevisions() throws Exception {
    try (var db = open();
        var sub = db.subscribe(PUBLIC)) {
      db.mutate(tx -> tx.put(JsonPointer.parse("/public/n"), Json.of(1)));
      sub.wake();
      assertThat(sub.poll(Duration.ofSeconds(10)).orElseThrow().id()).isEqualTo(1);
      long started = System.nanoTime();
      assertThat(sub.poll(Duration.ofMinutes(5))).isEmpty(); // the wake, not the timeout
      assertThat(System.nanoTime() - started).isLessThan(Duration.ofMinutes(1).toNanos());
      assertThat(sub.poll(Duration.ZERO)).isEmpty();
    }
  }

  @Test
  void closingTheDatabaseEndsSubscriptions() throws Exception {
    var db = open();
    var sub = db.subscribe(PUBLIC);
    db.close();
    assertThat(sub.ending()).contains(Subscription.Ending.DATABASE_CLOSED);
    assertThatThrownBy(sub::next).hasMessageContaining("the database was closed");
  }

  @Test
  void aViewCannotDumpOrStreamAnythingOutsideItsRoot() throws Exception {
    try (var db = open()) {
      DbView publicView = db.view(PUBLIC);
      assertThat(publicView.dump(JsonPointer.ROOT).value())
          .isEqualTo(Json.parse("{\"packages\":{}}"));
      // "/private" below the public root is just a missing key of /public.
      assertThat(publicView.dump(PRIVATE).value()).isEqualTo(Json.parse("null"));
      assertThat(publicView.get(JsonPointer.parse("/private/password"))).isEmpty();
      try (var sub = publicView.subscribe(JsonPointer.ROOT)) {
        assertThat(sub.pointer()).isEqualTo(JsonPointer.ROOT);
        db.mutate(tx -> tx.put(JsonPointer.parse("/private/password"), Json.of("changed")));
        db.mutate(tx -> tx.put(JsonPointer.parse("/public/ok"), Json.of(true)));
        Revision r = sub.next();
        assertThat(r.id()).isEqualTo(2);
        assertThat(r.patch().toString()).doesNotContain("changed").doesNotContain("password");
        // Replacing the whole document sends the view only what changed in its own subtree.
        db.mutate(tx ->
            tx.put(JsonPointer.ROOT, Json.parse("{\"public\":{},\"private\":{\"k\":\"x1\"}}")));
        Revision whole = sub.next();
        assertThat(whole.patch().toString()).doesNotContain("x1");
        Json publicBefore = Json.parse("{\"packages\":{},\"ok\":true}");
        assertThat(whole.patch().apply(publicBefore)).isEqualTo(JsonObject.EMPTY);
      }
    }
  }
}
