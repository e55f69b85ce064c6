package dev.hearth.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which server a command line's head start connects to: the one picocli will read, or none when the
 * line names it in a form read only by picocli.
 */
class HeadStartTest {
  // A port nothing listens on: these connections are refused, which a head start tolerates.
  private static final String HOST = "https://127.0.0.1:9";

  @Test
  void thePlainFormsNameTheServerAndItsTrustAnchor(@TempDir Path dir) throws Exception {
    try (var head = HeadStart.begin("-H", HOST, "echo", "hi")) {
      assertThat(head).isNotNull();
      assertThat(head.isFor(URI.create(HOST), Optional.empty())).isTrue();
      assertThat(head.isFor(URI.create("https://127.0.0.1:10"), Optional.empty())).isFalse();
    }
    Path ca = dir.resolve("ca.pem");
    try (var head = HeadStart.begin("echo", "--host=" + HOST, "--ca", ca.toString(), "hi")) {
      assertThat(head).isNotNull();
      assertThat(head.isFor(URI.create(HOST), Optional.of(ca))).isTrue();
      assertThat(head.isFor(URI.create(HOST), Optional.empty())).isFalse();
    }
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "host: " + HOST + "\nca: " + ca + "\n");
    try (var head = HeadStart.begin("-c", config.toString(), "package", "list")) {
      assertThat(head).isNotNull();
      assertThat(head.isFor(URI.create(HOST), Optional.of(ca))).isTrue();
    }
  }

  @Test
  void formsOnlyPicocliReadsGetNoHeadStart(@TempDir Path dir) {
    assertThat(HeadStart.begin("-H" + HOST, "echo", "hi")).isNull();
    assertThat(HeadStart.begin("-c" + dir.resolve("c.yaml"), "echo", "hi")).isNull();
    assertThat(HeadStart.begin("echo", "hi", "-H")).as("a missing value").isNull();
    assertThat(HeadStart.begin("-c", dir.resolve("missing.yaml").toString(), "echo", "hi"))
        .as("a config file that is not there")
        .isNull();
    assertThat(HeadStart.begin("-H", "ftp://127.0.0.1", "echo", "hi")).isNull();
    assertThat(HeadStart.begin("-H", "http://127.0.0.1:9", "echo", "hi"))
        .as("plain HTTP: connecting costs less than a thread")
        .isNull();
  }

  @Test
  void whatFollowsTheEndOfOptionsIsNotRead() throws Exception {
    try (var head = HeadStart.begin("-H", HOST, "echo", "--", "-H", "https://127.0.0.1:10")) {
      assertThat(head).isNotNull();
      assertThat(head.isFor(URI.create(HOST), Optional.empty())).isTrue();
    }
  }
}
