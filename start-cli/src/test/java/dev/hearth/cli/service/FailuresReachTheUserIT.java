package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person is told when a service fails (issue 12 §6), on real LXC with a hello-world that
 * fails when a marker file is in its volume: a main that throws shows its error and log tail while
 * it is retried; a service whose init fails says so at once when started, and its uninstall is
 * refused with the reason, on the command line and as a notification; an action that takes no input
 * refuses input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailuresReachTheUserIT {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final Path BUILDS = Path.of("target/failures-it").toAbsolutePath();

  ServiceHost host;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    Path pkg = PackageVariants.failing(BUILDS.resolve("hello-world"));
    host = ServiceHost.start(dir);
    host.ok("package", "install", "-s", pkg.toString());
    host.ok("package", "action", "run", "hello-world", "set-name", "--input", "{\"name\":\"Bo\"}");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  private Path marker(String name) {
    return host.volume("hello-world", "main").resolve(name);
  }

  private JsonNode status() throws Exception {
    return host.entry("hello-world").at("/statusInfo");
  }

  @Test
  @Order(1)
  void anActionThatTakesNoInputRefusesInput() throws Exception {
    ServiceHost.Result refused =
        host.cli("package", "action", "run", "hello-world", "ping", "--input", "{\"x\":1}");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("ping takes no input");

    assertThat(host.ok("package", "action", "run", "hello-world", "ping").out()).contains("pong");
  }

  @Test
  @Order(2)
  void aMainThatThrowsShowsItsErrorAndLogTailWhileItIsRetried() throws Exception {
    Files.writeString(marker("fail-main"), "");
    host.ok("package", "start", "hello-world");
    await("the start's error is shown")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode s = status();
          assertThat(s.at("/error/details").asText()).as(s.toString()).contains("Invalid URL");
          assertThat(s.at("/error/info").asText()).contains("main: reading the page address");
          assertThat(s.at("/desired/main").asText()).isEqualTo("running");
        });
    String list = host.ok("package", "list").out();
    assertThat(list).contains("error").contains("Invalid URL");

    // The retries went on: once main stops throwing, the service runs and the error is gone.
    Files.delete(marker("fail-main"));
    host.awaitHealthy("hello-world");
    assertThat(status().get("error").isNull()).as(status().toString()).isTrue();
    host.ok("package", "stop", "hello-world");
  }

  @Test
  @Order(3)
  void aServiceWhoseInitFailsSaysWhyAtOnceAndIsNotUninstalledSilently() throws Exception {
    Files.writeString(marker("fail-init"), "");
    host.ok("package", "rebuild", "hello-world");
    await("the init's error is shown")
        .atMost(SLOW)
        .untilAsserted(() ->
            assertThat(status().at("/error/details").asText()).contains("init was asked to fail"));

    ServiceHost.Result start = host.cli("package", "start", "hello-world");
    assertThat(start.exit()).isNotZero();
    assertThat(start.err()).contains("hello-world cannot start").contains("init was asked to fail");
    assertThat(status().at("/desired/main").asText()).isEqualTo("stopped");

    ServiceHost.Result uninstall = host.cli("package", "uninstall", "hello-world");
    assertThat(uninstall.exit()).isNotZero();
    assertThat(uninstall.err()).contains("init was asked to fail").contains("with force");
    assertThat(host.entry("hello-world").at("/stateInfo/state").asText()).isEqualTo("installed");
    assertThat(host.db("/public/notifications").toString())
        .contains("Uninstall failed")
        .contains("init was asked to fail");

    // Once it loads again, a start loads and runs it, and an uninstall goes through.
    Files.delete(marker("fail-init"));
    host.ok("package", "start", "hello-world");
    host.awaitHealthy("hello-world");
    host.ok("package", "uninstall", "hello-world");
    await("hello-world is gone")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(host.db("/public/packageData").has("hello-world")).isFalse());
  }
}
