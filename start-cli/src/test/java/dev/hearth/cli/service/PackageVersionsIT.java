package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.cli.s9pk.ExamplePackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One package in three versions (container-runtime.md §5.5): hello-world 1.0.0, a 1.1.0 whose
 * migrations write which way they ran, and a 1.2.0 whose migration fails. An update migrates up, a
 * downgrade migrates down in the old version's runtime, and an update that fails to initialise
 * rolls back to the old version with its data intact. A kill -9 of startd in the middle of an
 * update leaves, after restart, the old version installed and its data intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageVersionsIT {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final Path BUILDS = Path.of("target/package-versions-it").toAbsolutePath();

  ServiceHost host;
  Path v100;
  Path v110;
  Path v120;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    v100 = ExamplePackages.build("hello-world");
    v110 = PackageVariants.nextVersion(BUILDS.resolve("v1.1.0"), "1.1.0:0", "await mark('up')");
    v120 =
        PackageVariants.nextVersion(
            BUILDS.resolve("v1.2.0"), "1.2.0:0", "throw new Error('migration 1.2.0 refuses')");
    host = ServiceHost.start(dir);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  private String version() throws Exception {
    return host.entry("hello-world").at("/stateInfo/manifest/version").asText();
  }

  private String dataVersion() throws Exception {
    return Files.readString(host.volume("hello-world", ".version")).trim();
  }

  private String marker() throws Exception {
    Path m = host.volume("hello-world", "main").resolve("migrated.txt");
    return Files.exists(m) ? Files.readString(m).trim() : "";
  }

  @Test
  void updateDowngradeAndAFailedUpdate() throws Exception {
    host.ok("package", "install", "-s", v100.toString());
    host.ok(
        "package", "action", "run", "hello-world", "set-name", "--input", "{\"name\":\"Alice\"}");
    host.ok("package", "start", "hello-world");
    host.awaitHealthy("hello-world");
    assertThat(dataVersion()).isEqualTo("1.0.0:0");

    // Up: the new version's runtime migrates the data, and the service runs again.
    host.ok("package", "install", "-s", v110.toString());
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(dataVersion()).isEqualTo("1.1.0:0");
    assertThat(marker()).isEqualTo("up");
    host.awaitHealthy("hello-world");
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Alice");

    // Down: the old (1.1.0) runtime migrates its data down before 1.0.0 takes over.
    host.ok("package", "install", "-s", v100.toString());
    assertThat(version()).isEqualTo("1.0.0:0");
    assertThat(dataVersion()).isEqualTo("1.0.0:0");
    assertThat(marker()).isEqualTo("down");
    host.awaitHealthy("hello-world");

    // A version whose migration fails: back to 1.0.0, data as it was, running.
    ServiceHost.Result failed = host.cli("package", "install", "-s", v120.toString());
    assertThat(failed.exit()).isNotZero();
    assertThat(failed.err()).contains("migration 1.2.0 refuses");
    assertThat(version()).isEqualTo("1.0.0:0");
    assertThat(host.entry("hello-world").at("/stateInfo/state").asText()).isEqualTo("installed");
    assertThat(dataVersion()).isEqualTo("1.0.0:0");
    assertThat(marker()).isEqualTo("down");
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Alice");
    host.awaitHealthy("hello-world");
    assertThat(host.db("/public/notifications").toString()).contains("Update failed");
    try (var installed =
        Files.list(host.startd.dataDir.resolve("package-data/archive/installed"))) {
      assertThat(installed.toList()).hasSize(1);
    }

    // A soft uninstall keeps the data. Its uninit clears the data version (the SDK does, for a
    // null target), so installing again is an install of the same volumes.
    host.ok("package", "uninstall", "hello-world", "--soft");
    await("uninstalled")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(host.db("/public/packageData").has("hello-world")).isFalse());
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Alice");
    assertThat(host.volume("hello-world", ".version")).doesNotExist();
    host.ok("package", "install", "-s", v100.toString());
    assertThat(marker()).as("the same volume, not a new one").isEqualTo("down");
    assertThat(dataVersion()).isEqualTo("1.0.0:0");
  }
}
