package dev.hearth.startd.service;

import static dev.hearth.startd.service.TestWing.HELLO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The daemon dies at every checkpoint of an install, update and uninstall; after the next boot the
 * package is either fully there (installed, its archive in place, loaded) or fully gone, and its
 * data is the data of the version that is installed.
 */
class CrashRecoveryTest {
  @TempDir Path dir;
  private TestWing wing;

  @AfterEach
  void close() {
    wing.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Checkpoint.class,
      names = {"INSTALL_BEGUN", "INSTALL_STORED", "INSTALL_INITIALIZED", "INSTALL_MARKED"})
  void aCrashDuringAnInstallLeavesItInstalledOrGone(Checkpoint at) throws Exception {
    wing = new TestWing(dir);
    wing.crashAt = at;
    var install = wing.install("1.0.0:0");
    assertThatThrownBy(() -> install.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TestWing.SimulatedCrash.class);
    wing = wing.crashAndBoot();
    if (at == Checkpoint.INSTALL_MARKED) {
      assertInstalled("1.0.0:0");
      assertThat(Files.exists(wing.dirs.freshInstallMarker(HELLO))).isFalse();
    } else {
      assertGone();
    }
    assertThat(list(wing.dirs.downloading())).isEmpty();
    // And it installs again as if nothing had happened.
    if (wing.entry().isEmpty()) {
      wing.install("1.0.0:0").get(10, TimeUnit.SECONDS);
      assertInstalled("1.0.0:0");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Checkpoint.class,
      names = {
        "UPDATE_BEGUN",
        "UPDATE_SNAPSHOT_TAKEN",
        "UPDATE_OLD_EXITED",
        "UPDATE_INITIALIZED",
        "UPDATE_MARKED"
      })
  void aCrashDuringAnUpdateLeavesTheOldVersionWithItsDataOrTheNewOne(Checkpoint at)
      throws Exception {
    wing = new TestWing(dir);
    wing.install("1.0.0:0").get(10, TimeUnit.SECONDS);
    String oldData = wing.data();
    wing.crashAt = at;
    var update = wing.install("2.0.0:0");
    assertThatThrownBy(() -> update.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TestWing.SimulatedCrash.class);
    wing = wing.crashAndBoot();
    if (at == Checkpoint.UPDATE_MARKED) {
      assertInstalled("2.0.0:0");
    } else {
      assertInstalled("1.0.0:0");
      // The data is the old version's: whatever the old exit or the new init wrote is undone.
      assertThat(wing.data()).isEqualTo(oldData);
    }
    Path snapshot = Update.snapshot(wing.dirs, HELLO);
    assertThat(Files.exists(snapshot)).isFalse();
    assertThat(Files.exists(dev.hearth.startd.container.FileTrees.partialCopy(snapshot))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = Checkpoint.class,
      names = {"UNINSTALL_BEGUN", "UNINSTALL_EXITED"})
  void aCrashDuringAnUninstallFinishesItKeepingTheData(Checkpoint at) throws Exception {
    wing = new TestWing(dir);
    wing.install("1.0.0:0").get(10, TimeUnit.SECONDS);
    wing.crashAt = at;
    var done = wing.services.uninstall(HELLO, new Uninstaller.Mode(false, false));
    assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TestWing.SimulatedCrash.class);
    wing = wing.crashAndBoot();
    assertThat(wing.entry()).isEmpty();
    assertThat(list(wing.services.ctx.archives().dir(HELLO))).isEmpty();
    // Whether the user wanted the data kept is not on record: it is kept, with its owner.
    assertThat(Files.exists(wing.dirs.packageVolumes(HELLO))).isTrue();
    assertThat(wing.db.snapshot().get(PackagePaths.host(HELLO)).orElseThrow().archive()).isNull();
  }

  private void assertInstalled(String version) throws Exception {
    var entry = wing.entry().orElseThrow();
    assertThat(entry.stateInfo()).isInstanceOf(PackageState.Installed.class);
    assertThat(entry.stateInfo().version()).isEqualTo(version);
    var host = wing.db.snapshot().get(PackagePaths.host(HELLO)).orElseThrow();
    assertThat(host.nextArchive()).isNull();
    Path archive = wing.services.ctx.archives().file(HELLO, host.archive());
    assertThat(list(wing.services.ctx.archives().dir(HELLO))).containsExactly(archive);
    wing.services.settle(HELLO);
    assertThat(wing.loader.last().archive).isEqualTo(archive);
    assertThat(wing.loader.last().initialized).isTrue();
  }

  private void assertGone() throws Exception {
    assertThat(wing.entry()).isEmpty();
    assertThat(wing.db.snapshot().get(PackagePaths.host(HELLO))).isEmpty();
    assertThat(Files.exists(wing.dirs.packageVolumes(HELLO))).isFalse();
    assertThat(Files.exists(wing.dirs.freshInstallMarker(HELLO))).isFalse();
    assertThat(list(wing.services.ctx.archives().dir(HELLO))).isEmpty();
  }

  private static java.util.List<Path> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
