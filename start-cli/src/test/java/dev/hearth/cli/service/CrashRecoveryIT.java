package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.s9pk.ExamplePackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * startd killed with SIGKILL in the middle of an install and of an update: after a restart the
 * package is either cleanly absent or back at its old version with its data, the database says
 * which, and no container, mount or partial file is left of the interrupted attempt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final Path BUILDS = Path.of("target/crash-recovery-it").toAbsolutePath();

  /** Code a package runs in its init so that the test can catch it in the middle. */
  static final String STALL = "await new Promise((r) => setTimeout(r, 600_000))";

  /** What that init reports before it stalls: the install shows it as its Installing phase. */
  static final String PROGRESS =
      "await effects.setInitProgress({ progress: { done: 3, total: 10, units: 'steps' } })";

  ServiceHost host;
  Path v100;
  Path slowInstall;
  Path slowUpdate;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    v100 = ExamplePackages.build("hello-world");
    slowInstall = stallingInit(BUILDS.resolve("slow-install"));
    slowUpdate = PackageVariants.nextVersion(BUILDS.resolve("slow-update"), "1.1.0:0", STALL);
    host = ServiceHost.start(dir);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  /** hello-world whose init never ends on its own. */
  private static Path stallingInit(Path build) throws Exception {
    ExamplePackages.copy("hello-world", build);
    Path hook = build.resolve("startos/init/taskSetName.ts");
    Files.writeString(
        hook,
        Files.readString(hook)
            .replace(
                "export const taskSetName = sdk.setupOnInit(async (effects, kind) => {",
                "export const taskSetName = sdk.setupOnInit(async (effects, kind) => {\n  "
                    + PROGRESS
                    + "\n  "
                    + STALL));
    return ExamplePackages.make(build, "hello-world");
  }

  /** Starts an install in the background and waits until the database shows it underway. */
  private CompletableFuture<ServiceHost.Result> installUntil(Path s9pk, String state)
      throws Exception {
    var result = new CompletableFuture<ServiceHost.Result>();
    Thread.ofVirtual()
        .start(() -> {
          try {
            result.complete(host.cli("package", "install", "-s", s9pk.toString()));
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    await(state)
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          JsonNode e = host.entry("hello-world");
          assertThat(e.at("/stateInfo/state").asText()).isEqualTo(state);
          // The container is up and its init is running.
          try (var lxc = Files.list(host.startd.dataDir.resolve("containers/lxc"))) {
            assertThat(lxc.filter(p -> !p.getFileName().toString().startsWith(".")).count())
                .isPositive();
          }
        });
    Thread.sleep(1000); // well into the package's init
    return result;
  }

  private void assertNoContainerLeft() throws Exception {
    try (var lxc = Files.list(host.startd.dataDir.resolve("containers/lxc"))) {
      assertThat(lxc.filter(p -> !p.getFileName().toString().startsWith(".")).toList()).isEmpty();
    }
    try (var partial =
        Files.list(host.startd.dataDir.resolve("package-data/archive/downloading"))) {
      assertThat(partial.toList()).isEmpty();
    }
  }

  @Test
  void killedMidInstallThenMidUpdate() throws Exception {
    // An install killed in its init: after the restart the package is gone, data and all.
    installUntil(slowInstall, "installing");
    await("the package's own progress is the Installing phase")
        .atMost(SLOW)
        .untilAsserted(() -> {
          JsonNode phases =
              host.entry("hello-world").at("/stateInfo/installingInfo/progress/phases");
          assertThat(phases.findValues("name").toString()).contains("Installing");
          for (JsonNode phase : phases) {
            if (phase.path("name").asText().equals("Installing")) {
              assertThat(phase.path("progress").toString())
                  .isEqualTo("{\"done\":3,\"total\":10,\"units\":\"steps\"}");
            }
          }
        });
    host.killAndRestart();
    await("the interrupted install is undone")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(host.db("/public/packageData").has("hello-world")).isFalse());
    assertThat(host.volume("hello-world", "main")).doesNotExist();
    try (var installed =
        Files.list(host.startd.dataDir.resolve("package-data/archive/installed"))) {
      assertThat(installed.toList()).isEmpty();
    }
    assertNoContainerLeft();

    // A working install, with data, then an update killed in its migration.
    host.ok("package", "install", "-s", v100.toString());
    host.ok("package", "action", "run", "hello-world", "set-name", "--input", "{\"name\":\"Bob\"}");
    host.ok("package", "start", "hello-world");
    installUntil(slowUpdate, "updating");
    host.killAndRestart();
    await("the interrupted update is rolled back and the old version runs")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode e = host.entry("hello-world");
          assertThat(e.at("/stateInfo/state").asText()).isEqualTo("installed");
          assertThat(e.at("/stateInfo/manifest/version").asText()).isEqualTo("1.0.0:0");
          assertThat(e.at("/statusInfo/health/primary/result").asText()).isEqualTo("success");
        });
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Bob");
    assertThat(Files.readString(host.volume("hello-world", ".version")).trim())
        .isEqualTo("1.0.0:0");
    try (var installed =
        Files.list(host.startd.dataDir.resolve("package-data/archive/installed"))) {
      assertThat(installed.toList()).hasSize(1);
    }
    assertThat(
            host.volume("hello-world", "main")
                .getParent()
                .getParent()
                .resolveSibling("hello-world.install-backup"))
        .doesNotExist();
  }
}
