package dev.hearth.startd.service;

import static dev.hearth.startd.service.TestWing.HELLO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.service.model.Desired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whatever a person, the package and the runtime do to one service, in whatever order and from
 * however many threads, once things settle the container is where the database says it is: main
 * runs exactly when {@code started} is set, a wish to run ends running, a wish to stop ends
 * stopped, no restart is left half done, and no container is left behind.
 *
 * <p>Checked on {@link #CASES} seeded random cases (plain JUnit: a failure names its case, and the
 * fixed seed reproduces it).
 */
class ActorPropertiesTest {
  private static final int CASES = 60;
  private static final long SEED = 0xAC70_5EEDL;

  enum Request {
    START,
    STOP,
    RESTART,
    REBUILD,
    RUNTIME_DIES,
    NEXT_START_FAILS,
    TIME_PASSES
  }

  @Test
  void theContainerEndsWhereTheDatabaseSays() throws Exception {
    var random = new SplittableRandom(SEED);
    Request[] kinds = Request.values();
    for (int c = 0; c < CASES; c++) {
      List<Request> requests = new ArrayList<>();
      for (int n = random.nextInt(1, 15); n > 0; n--) {
        requests.add(kinds[random.nextInt(kinds.length)]);
      }
      int senders = random.nextInt(1, 4);
      try {
        checkOneCase(requests, senders);
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            "case " + c + ": " + requests + " from " + senders + " sender(s): " + e.getMessage(),
            e);
      }
    }
  }

  private static void checkOneCase(List<Request> requests, int senders) throws Exception {
    Path dir = Files.createTempDirectory("actor-property");
    TestWing wing = new TestWing(dir);
    try {
      wing.install("1.0.0:0").get(10, TimeUnit.SECONDS);
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int from = s;
        sent.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = from; i < requests.size(); i += senders) {
                    send(wing, requests.get(i));
                  }
                },
                r -> Thread.ofVirtual().start(r)));
      }
      for (var f : sent) {
        f.get(20, TimeUnit.SECONDS);
      }
      // Long enough for any retry and the longest reload back-off to fire.
      for (int i = 0; i < 6; i++) {
        wing.services.settle(HELLO);
        wing.time.advance(Duration.ofMinutes(2));
      }
      wing.services.settle(HELLO);

      var status = wing.status();
      var live = wing.loader.instances.stream().filter(i -> !i.closed).toList();
      assertThat(live).as("containers left up").hasSize(1);
      assertThat(live.getFirst().running).isEqualTo(status.isStarted());
      assertThat(status.desired()).isNotInstanceOf(Desired.Restarting.class);
      if (status.desired() instanceof Desired.Running) {
        assertThat(status.isStarted()).as("wanted running, runs").isTrue();
      } else {
        assertThat(status.isStarted()).as("wanted stopped, stopped").isFalse();
      }
    } finally {
      wing.close();
      dev.hearth.startd.container.FileTrees.delete(dir);
    }
  }

  private static void send(TestWing wing, Request r) {
    switch (r) {
      case START -> wing.services.start(HELLO, false);
      case STOP -> wing.services.stop(HELLO);
      case RESTART -> wing.services.restart(HELLO);
      case REBUILD -> wing.services.rebuild(HELLO);
      case RUNTIME_DIES -> wing.loader.last().die();
      case NEXT_START_FAILS -> wing.loader.failStarts.incrementAndGet();
      case TIME_PASSES -> wing.time.advance(ServiceActor.RETRY);
    }
  }
}
