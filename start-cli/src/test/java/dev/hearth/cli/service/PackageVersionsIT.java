package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
    v100 = ExamplePackages.build("hello-world", BUILDS.resolve("v1.0.0"));
    v110 = variant("v1.1.0", "1.1.0:0", "await mark('up')");
    v120 = variant("v1.2.0", "1.2.0:0", "throw new Error('migration 1.2.0 refuses')");
    host = ServiceHost.start(dir);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  /**
   * hello-world with one more version whose up migration runs {@code up} and whose down migration
   * marks "down" in the data volume.
   */
  private static Path variant(String dir, String version, String up) throws Exception {
    Path build = BUILDS.resolve(dir);
    ExamplePackages.copy("hello-world", build);
    String ident = "v" + version.replace(':', '_').replace('.', '_');
    Files.writeString(
        build.resolve("startos/versions/next.ts"),
        """
        import { VersionInfo } from '@start9labs/start-sdk'
        import { sdk } from '../sdk'

        async function mark(way: string): Promise<void> {
          await sdk.volumes.main.writeFile('migrated.txt', way)
        }

        export const %s = VersionInfo.of({
          version: '%s',
          releaseNotes: 'A test version.',
          migrations: {
            up: async () => {
              %s
            },
            down: async () => {
              await mark('down')
            },
          },
        })
        """
            .formatted(ident, version, up));
    Files.writeString(
        build.resolve("startos/versions/index.ts"),
        """
        import { VersionGraph } from '@start9labs/start-sdk'
        import { v1_0_0 } from './v1.0.0'
        import { %s } from './next'

        export const versionGraph = VersionGraph.of({ current: %s, other: [v1_0_0] })
        """
            .formatted(ident, ident));
    return ExamplePackages.make(build, "hello-world");
  }

  private String version() throws Exception {
    return host.entry("hello-world").at("/stateInfo/manifest/version").asText();
  }

  private void awaitHealthy() {
    await("hello-world is healthy")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode status = host.entry("hello-world").at("/statusInfo");
          assertThat(status.at("/health/primary/result").asText())
              .as(status.toString())
              .isEqualTo("success");
        });
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
    awaitHealthy();
    assertThat(dataVersion()).isEqualTo("1.0.0:0");

    // Up: the new version's runtime migrates the data, and the service runs again.
    host.ok("package", "install", "-s", v110.toString());
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(dataVersion()).isEqualTo("1.1.0:0");
    assertThat(marker()).isEqualTo("up");
    awaitHealthy();
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Alice");

    // Down: the old (1.1.0) runtime migrates its data down before 1.0.0 takes over.
    host.ok("package", "install", "-s", v100.toString());
    assertThat(version()).isEqualTo("1.0.0:0");
    assertThat(dataVersion()).isEqualTo("1.0.0:0");
    assertThat(marker()).isEqualTo("down");
    awaitHealthy();

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
    awaitHealthy();
    assertThat(host.db("/public/notifications").toString()).contains("Update failed");
    try (var installed =
        Files.list(host.startd.dataDir.resolve("package-data/archive/installed"))) {
      assertThat(installed.toList()).hasSize(1);
    }
  }
}
