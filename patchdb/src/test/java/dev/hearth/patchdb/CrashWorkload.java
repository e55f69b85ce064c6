package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonArray;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonNumber;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.JsonString;
import java.util.SplittableRandom;

/**
 * The crash test's transactions. Step n is a pure function of the document after step n - 1 and the
 * seed (it reads the step counter /n from the document), so whatever thread runs it, the document
 * after revision n is always the same, and the test can compute it independently.
 */
final class CrashWorkload {
  private static final JsonPointer STEP = JsonPointer.of("n");
  private static final JsonPointer COUNTERS = JsonPointer.of("counters");
  private static final JsonPointer LOG = JsonPointer.of("log");
  private static final JsonPointer BLOBS = JsonPointer.of("blobs");

  private CrashWorkload() {}

  static void step(Tx tx, long seed) {
    long n = tx.get(STEP).map(j -> ((JsonNumber) j).value().longValueExact()).orElse(0L) + 1;
    var random = new SplittableRandom(seed * 31 + n);
    tx.put(STEP, Json.of(n));
    if (tx.get(COUNTERS).isEmpty()) {
      tx.put(COUNTERS, JsonObject.EMPTY);
      tx.put(LOG, JsonArray.EMPTY);
      tx.put(BLOBS, JsonObject.EMPTY);
    }
    tx.put(COUNTERS.child("c" + random.nextInt(16)), Json.of(n));
    if (random.nextInt(3) == 0) {
      tx.remove(COUNTERS.child("c" + random.nextInt(16)));
    }
    JsonArray log = (JsonArray) tx.get(LOG).orElseThrow();
    tx.put(LOG.child(log.size()), new JsonString("step " + n));
    if (log.size() >= 30) {
      tx.remove(LOG.child(random.nextInt(log.size())));
    }
    if (random.nextInt(4) == 0) {
      // Large values make the journal grow, so compaction runs (and gets killed) often.
      tx.put(
          BLOBS.child("b" + random.nextInt(8)), new JsonString("x".repeat(random.nextInt(4000))));
    }
  }

  /** The document after {@code revision} steps, computed without a database. */
  static Json replay(Json start, long fromRevision, long toRevision, long seed) {
    Tx tx = new Tx(start, JsonCodec.standard());
    for (long r = fromRevision; r < toRevision; r++) {
      step(tx, seed);
    }
    return tx.root();
  }
}
