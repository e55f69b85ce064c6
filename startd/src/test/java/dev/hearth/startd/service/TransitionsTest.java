package dev.hearth.startd.service;

import static dev.hearth.startd.service.TestWing.HELLO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.model.ActionMetadata;
import dev.hearth.startd.service.model.Desired;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import dev.hearth.startd.service.model.TaskEntry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every transition of one service's actor, against fake containers and a clock we move. */
class TransitionsTest {
  @TempDir java.nio.file.Path dir;
  private TestWing wing;

  @BeforeEach
  void open() {
    wing = new TestWing(dir);
  }

  @AfterEach
  void close() {
    wing.close();
  }

  private void installed() throws Exception {
    wing.install("1.0.0:0").get(10, TimeUnit.SECONDS);
    wing.services.settle(HELLO);
  }

  @Test
  void anInstallStoresInitsAndMarksInstalled() throws Exception {
    installed();
    var entry = wing.entry().orElseThrow();
    assertThat(entry.stateInfo()).isInstanceOf(PackageState.Installed.class);
    assertThat(entry.stateInfo().version()).isEqualTo("1.0.0:0");
    assertThat(entry.developerKey()).isEqualTo(wing.developer.publicKey().pem());
    var host = wing.db.snapshot().get(PackagePaths.host(HELLO)).orElseThrow();
    assertThat(host.archive()).isNotNull();
    assertThat(host.nextArchive()).isNull();
    assertThat(Files.exists(wing.services.ctx.archives().file(HELLO, host.archive()))).isTrue();
    assertThat(wing.loader.journal).containsSubsequence("hello init INSTALL");
    assertThat(wing.status().desired()).isEqualTo(Desired.STOPPED);
    assertThat(Files.list(wing.dirs.downloading())).isEmpty();
  }

  @Test
  void startStopAndRestartMoveTheContainerAndTheStatus() throws Exception {
    installed();
    wing.services.start(HELLO, false);
    wing.services.settle(HELLO);
    assertThat(wing.loader.last().running).isTrue();
    assertThat(wing.status().started()).isEqualTo(wing.time.instant());
    assertThat(wing.status().desired()).isEqualTo(Desired.RUNNING);

    wing.loader.journal.clear();
    wing.services.restart(HELLO);
    wing.services.settle(HELLO);
    assertThat(wing.loader.journal).containsExactly("hello stop", "hello start");
    assertThat(wing.status().desired()).isEqualTo(Desired.RUNNING);

    wing.services.stop(HELLO);
    wing.services.settle(HELLO);
    assertThat(wing.loader.last().running).isFalse();
    assertThat(wing.status().started()).isNull();
    assertThat(wing.status().desired()).isEqualTo(Desired.STOPPED);
  }

  @Test
  void aFailedStartIsTriedAgainAfterTheRetryDelay() throws Exception {
    installed();
    wing.loader.failStarts.set(1);
    wing.services.start(HELLO, false);
    wing.services.settle(HELLO);
    assertThat(wing.status().started()).isNull();
    wing.time.advance(ServiceActor.RETRY.minusSeconds(1));
    wing.services.settle(HELLO);
    assertThat(wing.status().started()).isNull();
    wing.time.advance(Duration.ofSeconds(1));
    wing.services.settle(HELLO);
    assertThat(wing.status().started()).isNotNull();
    assertThat(wing.loader.last().running).isTrue();
  }

  @Test
  void aRuntimeThatDiesIsRecordedAndReloadedWithGrowingBackOff() throws Exception {
    installed();
    wing.services.start(HELLO, false);
    wing.services.settle(HELLO);
    var first = wing.loader.last();
    first.die();
    wing.services.settle(HELLO);
    assertThat(first.closed).isTrue();
    assertThat(wing.status().error()).isNotNull();
    assertThat(wing.status().error().info().asText()).contains("last words");
    assertThat(wing.status().started()).isNull();

    wing.time.advance(ServiceActor.RELOAD_BACKOFF.get(0));
    wing.services.settle(HELLO);
    var second = wing.loader.last();
    assertThat(second).isNotSameAs(first);
    assertThat(second.running).isTrue();
    assertThat(wing.status().error()).isNull();

    // A crash right after the reload waits longer, since it did not run long enough to reset.
    wing.loader.failStarts.set(0);
    second.die();
    wing.services.settle(HELLO);
    wing.time.advance(ServiceActor.RELOAD_BACKOFF.get(0));
    wing.services.settle(HELLO);
    assertThat(wing.loader.last()).isSameAs(second);
    wing.time.advance(ServiceActor.RELOAD_BACKOFF.get(1));
    wing.services.settle(HELLO);
    assertThat(wing.loader.last()).isNotSameAs(second);
  }

  @Test
  void aFailedInstallLeavesNothingAndSaysWhy() throws Exception {
    wing.loader.failInits.set(1);
    var install = wing.install("1.0.0:0");
    assertThatThrownBy(() -> install.get(10, TimeUnit.SECONDS)).hasMessageContaining("init failed");
    assertThat(wing.entry()).isEmpty();
    assertThat(wing.db.snapshot().get(PackagePaths.host(HELLO))).isEmpty();
    assertThat(Files.exists(wing.dirs.packageVolumes(HELLO))).isFalse();
    assertThat(Files.exists(wing.services.ctx.archives().dir(HELLO))).isFalse();
    assertThat(wing.loader.last().closed).isTrue();
    assertThat(wing.services.ctx.notifications().list(null, 10))
        .anyMatch(n -> n.title().equals("Install failed"));
  }

  @Test
  void anUpdateMigratesTheDataAndAFailedOneComesBackWhole() throws Exception {
    installed();
    String before = wing.data();
    wing.install("2.0.0:0").get(10, TimeUnit.SECONDS);
    wing.services.settle(HELLO);
    assertThat(wing.entry().orElseThrow().stateInfo().version()).isEqualTo("2.0.0:0");
    assertThat(wing.loader.journal).containsSubsequence("hello exit 1.0.0:0", "hello init UPDATE");
    assertThat(wing.data()).isNotEqualTo(before);

    String good = wing.data();
    wing.loader.failInits.set(1);
    var down = wing.install("1.5.0:0");
    assertThatThrownBy(() -> down.get(10, TimeUnit.SECONDS)).hasMessageContaining("init failed");
    wing.services.settle(HELLO);
    assertThat(wing.entry().orElseThrow().stateInfo()).isInstanceOf(PackageState.Installed.class);
    assertThat(wing.entry().orElseThrow().stateInfo().version()).isEqualTo("2.0.0:0");
    assertThat(wing.data()).isEqualTo(good);
    assertThat(wing.loader.last().initialized).isTrue(); // the old one loaded again
    assertThat(Files.list(wing.services.ctx.archives().dir(HELLO))).hasSize(1);
  }

  @Test
  void anUpdateSignedByAnotherKeyIsRefusedUnlessAccepted() throws Exception {
    installed();
    VerifiedPackage other = wing.upload("2.0.0:0");
    var foreign =
        new VerifiedPackage(
            other.file(),
            other.manifest(),
            other.sighash(),
            dev.hearth.s9pk.sign.DeveloperKey.generate(new java.security.SecureRandom())
                .publicKey(),
            other.icon(),
            null);
    var refused =
        wing.services.install(
            new Transition.Install(
                foreign,
                new dev.hearth.startd.continuation.ProgressTracker(
                    dev.hearth.api.FullProgress.of("Installing")),
                null,
                new CompletableFuture<>()));
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("signed by another key");
    assertThat(wing.entry().orElseThrow().stateInfo().version()).isEqualTo("1.0.0:0");
    assertThat(Files.exists(foreign.file())).isFalse();
  }

  @Test
  void uninstallRemovesEverythingOrKeepsTheDataWhenAsked() throws Exception {
    installed();
    wing.services.uninstall(HELLO, new Uninstaller.Mode(true, false)).get(10, TimeUnit.SECONDS);
    assertThat(wing.loader.journal).contains("hello exit null");
    assertThat(wing.entry()).isEmpty();
    assertThat(Files.exists(wing.dirs.packageVolumes(HELLO))).isTrue();
    var kept = wing.db.snapshot().get(PackagePaths.host(HELLO)).orElseThrow();
    assertThat(kept.archive()).isNull();
    assertThat(kept.signer()).isEqualTo(wing.developer.publicKey().pem());
    assertThat(wing.services.actor(HELLO)).isEmpty();

    installed();
    assertThat(wing.loader.journal).contains("hello init UPDATE"); // over the kept data
    wing.services.uninstall(HELLO, new Uninstaller.Mode(false, false)).get(10, TimeUnit.SECONDS);
    assertThat(Files.exists(wing.dirs.packageVolumes(HELLO))).isFalse();
    assertThat(wing.db.snapshot().get(PackagePaths.host(HELLO))).isEmpty();
  }

  @Test
  void anUninstallThatCannotUninitPutsThePackageBack() throws Exception {
    installed();
    wing.loader.failExits.set(1);
    var done = wing.services.uninstall(HELLO, new Uninstaller.Mode(false, false));
    assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).hasMessageContaining("exit failed");
    wing.services.settle(HELLO);
    assertThat(wing.entry().orElseThrow().stateInfo()).isInstanceOf(PackageState.Installed.class);
    assertThat(wing.status().error().details()).contains("exit failed");
    assertThat(wing.loader.last().initialized).isTrue();

    wing.loader.failExits.set(1);
    wing.services.uninstall(HELLO, new Uninstaller.Mode(false, true)).get(10, TimeUnit.SECONDS);
    assertThat(wing.entry()).isEmpty();
  }

  @Test
  void aCancelledInstallRollsBack() throws Exception {
    var hold = new CountDownLatch(1);
    wing.loader.holdInit = hold;
    var install = wing.install("1.0.0:0");
    while (wing.entry().isEmpty() || wing.loader.instances.isEmpty()) {
      Thread.onSpinWait(); // the install reached init
    }
    wing.services.cancelInstall(HELLO);
    assertThatThrownBy(() -> install.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(wing.entry()).isEmpty();
    assertThat(Files.exists(wing.dirs.packageVolumes(HELLO))).isFalse();
  }

  @Test
  void aStartWithACriticalTaskIsRefusedUnlessForced() throws Exception {
    installed();
    var task =
        TestWing.MAPPER.readTree(
            "{\"task\":{\"packageId\":\"hello\",\"actionId\":\"a\",\"severity\":\"critical\"},"
                + "\"active\":true}");
    TaskEntry entry = TestWing.MAPPER.treeToValue(task, TaskEntry.class);
    wing.db.mutate(tx -> tx.put(PackagePaths.tasks(HELLO), java.util.Map.of("t", entry)));
    assertThatThrownBy(() -> wing.services.start(HELLO, false))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("critical task");
    wing.services.start(HELLO, true);
    wing.services.settle(HELLO);
    assertThat(wing.loader.last().running).isTrue();
  }

  @Test
  void aLongActionDoesNotHoldUpTheActor() throws Exception {
    installed();
    var slow =
        TestWing.MAPPER.readTree(
            "{\"name\":\"Slow\",\"allowedStatuses\":\"only-running\",\"hasInput\":false}");
    ActionMetadata meta = TestWing.MAPPER.treeToValue(slow, ActionMetadata.class);
    wing.db.mutate(tx -> tx.put(PackagePaths.actions(HELLO), java.util.Map.of("slow", meta)));
    assertThatThrownBy(() -> wing.services.runAction(HELLO, "slow", null, null))
        .hasMessageContaining("only while hello is running");
    wing.services.start(HELLO, false);
    var hold = new CountDownLatch(1);
    wing.loader.holdAction = hold;
    var run =
        CompletableFuture.supplyAsync(() -> wing.services.runAction(HELLO, "slow", null, null));
    while (!wing.loader.journal.contains("hello execute /actions/slow/run")) {
      Thread.onSpinWait();
    }
    wing.services.stop(HELLO); // answered while the action still runs
    wing.services.settle(HELLO);
    assertThat(wing.status().started()).isNull();
    assertThat(run).isNotDone();
    hold.countDown();
    assertThat(run.get(10, TimeUnit.SECONDS).isNull()).isTrue();
  }

  @Test
  void bootLoadsEveryInstalledServiceAndResolvesInterruptedRestarts() throws Exception {
    installed();
    wing.services.start(HELLO, false);
    wing.services.restart(HELLO);
    wing.db.mutate(tx ->
        tx.update(PackagePaths.status(HELLO), s -> s.withDesired(new Desired.Restarting(true))));
    wing = wing.crashAndBoot();
    wing.services.settle(HELLO);
    assertThat(wing.status().desired()).isEqualTo(Desired.RUNNING);
    assertThat(wing.loader.last().running).isTrue();
    assertThat(wing.loader.journal).contains("hello init LOAD");
  }

  @Test
  void aFailedStartShowsItsErrorAndLogTailWhileItIsRetried() throws Exception {
    installed();
    wing.loader.failStarts.set(2);
    wing.services.start(HELLO, false);
    wing.services.settle(HELLO);
    assertThat(wing.status().desired()).isEqualTo(Desired.RUNNING);
    assertThat(wing.status().started()).isNull();
    assertThat(wing.status().error().details()).contains("start failed");
    assertThat(wing.status().error().info().asText()).contains("last words of hello");

    wing.time.advance(ServiceActor.RETRY);
    wing.services.settle(HELLO);
    assertThat(wing.loader.journal).containsSubsequence("hello start", "hello start");
    assertThat(wing.status().error().details()).contains("start failed");

    wing.time.advance(ServiceActor.RETRY);
    wing.services.settle(HELLO);
    assertThat(wing.status().started()).isNotNull();
    assertThat(wing.status().error()).isNull();
  }

  @Test
  void aServiceThatDoesNotLoadSaysWhyAtOnceWhenStarted() throws Exception {
    installed();
    wing.loader.failInits.set(2); // the rebuild's init, then the start's
    wing.services.rebuild(HELLO).get(10, TimeUnit.SECONDS);
    assertThat(wing.status().error().details()).contains("init failed");

    assertThatThrownBy(() -> wing.services.start(HELLO, false))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("hello cannot start")
        .hasMessageContaining("init failed")
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(dev.hearth.error.ErrorKind.UNINITIALIZED);
    assertThat(wing.status().desired()).isEqualTo(Desired.STOPPED);
    assertThat(wing.status().error().details()).contains("init failed");

    // Once it loads, a start loads it and runs it at once.
    wing.services.start(HELLO, false);
    wing.services.settle(HELLO);
    assertThat(wing.loader.last().running).isTrue();
    assertThat(wing.status().error()).isNull();
  }

  @Test
  void aServiceThatDoesNotLoadAtBootIsTriedAgain() throws Exception {
    installed();
    wing.services.start(HELLO, false);
    wing.services.settle(HELLO);
    wing = wing.crashAndBoot(next -> next.loader.failInits.set(1));
    wing.services.settle(HELLO);
    assertThat(wing.status().error().details()).contains("init failed");
    assertThat(wing.status().desired()).isEqualTo(Desired.RUNNING);

    wing.time.advance(ServiceActor.RELOAD_BACKOFF.get(0));
    wing.services.settle(HELLO);
    assertThat(wing.loader.last().running).isTrue();
    assertThat(wing.status().error()).isNull();
  }

  @Test
  void anUninstallOfAServiceThatDoesNotLoadIsRefusedAtOnceAndNotified() throws Exception {
    installed();
    wing.loader.failInits.set(2);
    wing.services.rebuild(HELLO).get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> wing.services.uninstall(HELLO, new Uninstaller.Mode(false, false)))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("init failed")
        .hasMessageContaining("with force");
    wing.services.settle(HELLO);
    assertThat(wing.entry().orElseThrow().stateInfo()).isInstanceOf(PackageState.Installed.class);
    var notes = new Notifications(wing.db, wing.time).list(null, null);
    assertThat(notes)
        .anySatisfy(n -> {
          assertThat(n.title()).isEqualTo("Uninstall failed");
          assertThat(n.message()).contains("init failed");
        });

    wing.loader.failInits.set(1);
    wing.services.uninstall(HELLO, new Uninstaller.Mode(false, true)).get(10, TimeUnit.SECONDS);
    assertThat(wing.entry()).isEmpty();
  }

  @Test
  void anActionThatTakesNoInputRefusesInput() throws Exception {
    installed();
    var plain =
        TestWing.MAPPER.readTree(
            "{\"name\":\"Plain\",\"allowedStatuses\":\"any\",\"hasInput\":false}");
    ActionMetadata meta = TestWing.MAPPER.treeToValue(plain, ActionMetadata.class);
    wing.db.mutate(tx -> tx.put(PackagePaths.actions(HELLO), java.util.Map.of("plain", meta)));
    var input = TestWing.MAPPER.readTree("{\"anything\":1}");
    assertThatThrownBy(() -> wing.services.runAction(HELLO, "plain", null, input))
        .hasMessageContaining("plain takes no input");
    assertThat(wing.loader.journal).doesNotContain("hello execute /actions/plain/run");
    wing.services.runAction(HELLO, "plain", null, TestWing.MAPPER.createObjectNode());
    wing.services.runAction(HELLO, "plain", null, null);
    assertThat(wing.loader.journal)
        .containsSubsequence(
            "hello execute /actions/plain/run", "hello execute /actions/plain/run");
  }
}
