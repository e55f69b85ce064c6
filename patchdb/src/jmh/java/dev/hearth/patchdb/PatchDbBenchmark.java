package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonArray;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.JsonString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Patch-DB's figures (issue "Foundation"): durable commit latency with one writer and with eight
 * (group commit), revisions per second, open time of a 10 MB document, and fan-out of one revision
 * to 100 subscribers. Every commit is fsynced; the database lives under {@code target/}, on the
 * same disk as a real data directory.
 *
 * <p>Run with {@code make bench}; {@link PatchDbBenchmarks} prints the summary against the targets.
 * The baseline is the target itself (p99 commit ≤ 5 ms, open ≤ 300 ms, fan-out p99 ≤ 50 ms), there
 * being no other Java Patch-DB to race.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PatchDbBenchmark {

  private static Path freshDir(String name) throws IOException {
    Path dir = Path.of("target", "bench-db", name + "-" + System.nanoTime());
    Files.createDirectories(dir);
    return dir;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One open database shared by all benchmark threads. */
  @State(Scope.Benchmark)
  public static class Db {
    PatchDb db;
    Path dir;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = freshDir("commit");
      db = PatchDb.open(dir);
      db.mutate(tx -> tx.put(JsonPointer.of("writers"), JsonObject.EMPTY));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      db.close();
      deleteTree(dir);
    }
  }

  /** Each thread writes its own key, as different services' actors do. */
  @State(Scope.Thread)
  public static class Writer {
    private static final AtomicLong IDS = new AtomicLong();
    JsonPointer key = JsonPointer.of("writers", "w" + IDS.incrementAndGet());
    long n;
  }

  private static Revision commitOne(Db db, Writer w) {
    long value = ++w.n;
    return db.db
        .mutate(tx ->
            tx.put(
                w.key,
                JsonObject.of(Map.of("status", new JsonString("running"), "n", Json.of(value)))))
        .orElseThrow();
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime, Mode.Throughput})
  @Threads(1)
  public Revision commit1Writer(Db db, Writer w) {
    return commitOne(db, w);
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime, Mode.Throughput})
  @Threads(8)
  public Revision commit8Writers(Db db, Writer w) {
    return commitOne(db, w);
  }

  /** A closed database holding a 10 MB document: a snapshot plus 200 journal records. */
  @State(Scope.Benchmark)
  public static class BigDb {
    Path dir;
    long documentBytes;

    @Setup(Level.Trial)
    public void create() throws Exception {
      dir = freshDir("open");
      Json document = tenMegabytes();
      documentBytes = document.toString().length();
      var options = PatchDbOptions.defaults().withCompactAfterBytes(1 << 20);
      try (var db = PatchDb.open(dir, options)) {
        db.mutate(tx -> tx.put(JsonPointer.of("public"), document));
        while (db.stats().compactions() == 0) {
          Thread.sleep(10);
        }
      }
      try (var db = PatchDb.open(dir)) {
        for (int i = 0; i < 200; i++) {
          int n = i;
          db.mutate(tx -> tx.put(JsonPointer.of("public", "counter"), Json.of(n)));
        }
      }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
      deleteTree(dir);
    }
  }

  /** About 10 MB of JSON shaped like package data: many objects, strings, numbers and arrays. */
  static Json tenMegabytes() {
    var random = new SplittableRandom(10);
    var packages = new LinkedHashMap<String, Json>();
    int i = 0;
    long size = 0;
    while (size < 10_000_000) {
      var actions = new ArrayList<Json>();
      for (int a = 0; a < 20; a++) {
        actions.add(
            JsonObject.of(
                Map.of(
                    "name", new JsonString("action " + a),
                    "description", new JsonString("d".repeat(random.nextInt(40, 200))),
                    "visibility", new JsonString("enabled"),
                    "order", Json.of(a),
                    "hasInput", Json.of(random.nextBoolean()))));
      }
      Json entry =
          JsonObject.of(
              Map.of(
                  "title", new JsonString("Service " + i),
                  "version", new JsonString("1." + i + ".0:0"),
                  "icon", new JsonString("i".repeat(random.nextInt(500, 3000))),
                  "actions", JsonArray.of(actions),
                  "ports", JsonArray.of(List.of(Json.of(8080 + i), Json.of(9000 + i)))));
      size += entry.toString().length();
      packages.put("service-" + i++, entry);
    }
    return JsonObject.of(Map.of("packageData", JsonObject.of(packages)));
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public long open10MegabyteDocument(BigDb big) {
    try (var db = PatchDb.open(big.dir)) {
      return db.sequence();
    }
  }

  /** One writer and 100 subscribers of /public, each on its own virtual thread. */
  @State(Scope.Benchmark)
  public static class FanOut {
    static final int SUBSCRIBERS = 100;
    PatchDb db;
    Path dir;
    Phaser delivered;
    List<Thread> readers = new ArrayList<>();
    long n;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = freshDir("fanout");
      db = PatchDb.open(dir);
      db.mutate(tx -> tx.put(JsonPointer.of("public"), JsonObject.EMPTY));
      delivered = new Phaser(SUBSCRIBERS + 1);
      for (int s = 0; s < SUBSCRIBERS; s++) {
        Subscription sub = db.subscribe(JsonPointer.of("public"));
        readers.add(
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    while (true) {
                      sub.next();
                      delivered.arrive();
                    }
                  } catch (InterruptedException | RuntimeException closed) {
                    // the database closed at tear-down
                  }
                }));
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      db.close();
      for (Thread t : readers) {
        t.join();
      }
      deleteTree(dir);
    }
  }

  /** Commit (with fsync) plus delivery to all 100 subscribers. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public int fanOutTo100Subscribers(FanOut f) {
    long value = ++f.n;
    f.db.mutate(tx -> tx.put(JsonPointer.of("public", "n"), Json.of(value)));
    return f.delivered.arriveAndAwaitAdvance();
  }
}
