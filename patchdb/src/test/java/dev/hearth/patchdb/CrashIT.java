package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL at random moments, again and again on the same database, and
 * checks after each kill that reopening yields exactly a committed prefix: at least every revision
 * whose {@code mutate} had returned, and a document equal to replaying the workload up to the
 * recovered revision.
 */
class CrashIT {
  private static final int KILLS = 50;
  private static final long SEED = 20261122L;
  private static final long COMPACT_AFTER_BYTES = 24 * 1024; // compactions get killed too

  @TempDir Path dir;

  @Test
  void everyAcknowledgedRevisionSurvivesSigkillAndNothingElseAppears() throws Exception {
    var random = new SplittableRandom(SEED);
    Json expected = JsonObject.EMPTY;
    long expectedRevision = 0;
    List<Long> recovered = new ArrayList<>();
    for (int kill = 0; kill < KILLS; kill++) {
      long acknowledged = runAndKill(random.nextInt(20, 400), kill == 0);
      try (var db = PatchDb.open(dir)) {
        long revision = db.sequence();
        assertThat(revision)
            .as("kill %d: every acknowledged revision survives", kill)
            .isGreaterThanOrEqualTo(acknowledged);
        assertThat(revision)
            .as("kill %d: revisions never go back", kill)
            .isGreaterThanOrEqualTo(expectedRevision);
        expected = CrashWorkload.replay(expected, expectedRevision, revision, SEED);
        expectedRevision = revision;
        assertThat(db.snapshot().root())
            .as("kill %d: the document is the replay of revisions 1..%d", kill, revision)
            .isEqualTo(expected);
        recovered.add(revision);
      }
    }
    // The runs made real progress, so kills landed mid-write rather than before any work.
    assertThat(recovered.getLast()).isGreaterThan(KILLS * 5L);
    System.out.printf(
        "CrashIT: %d SIGKILLs, %d revisions committed in all, recovered revisions %s%n",
        KILLS, recovered.getLast(), recovered);
  }

  /**
   * Runs the child until it has written for {@code millis}, then SIGKILLs it.
   *
   * @return the highest revision the child reported as committed
   */
  private long runAndKill(int millis, boolean checkExclusiveOpen) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                CrashChild.class.getName(),
                dir.toString(),
                Long.toString(SEED),
                Long.toString(COMPACT_AFTER_BYTES),
                "4")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var acknowledged = new AtomicLong();
    var ready = new CountDownLatch(1);
    Thread reader =
        Thread.ofVirtual()
            .start(() -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.startsWith("ready")) {
                    ready.countDown();
                  } else if (line.startsWith("ok ")) {
                    acknowledged.accumulateAndGet(Long.parseLong(line.substring(3)), Math::max);
                  }
                }
              } catch (IOException e) {
                // the pipe closes when the child dies
              }
            });
    try {
      assertThat(ready.await(60, TimeUnit.SECONDS)).as("the child opened the database").isTrue();
      if (checkExclusiveOpen) {
        assertThatThrownBy(() -> PatchDb.open(dir))
            .isInstanceOf(StartException.class)
            .hasMessageContaining("open in another process");
      }
      Thread.sleep(millis);
    } finally {
      child.destroyForcibly(); // SIGKILL
      child.waitFor(60, TimeUnit.SECONDS);
      reader.join();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    return acknowledged.get();
  }
}
