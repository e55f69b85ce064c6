package dev.hearth.s9pk.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry) on a free loopback port,
 * storing in a directory of the test's, with its access log kept so a test can count what was
 * fetched.
 */
final class LoopbackRegistry implements AutoCloseable {
  private final Process process;
  private final Path log;
  final String host;

  LoopbackRegistry(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    host = "127.0.0.1:" + port;
    Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: %s
        """
            .formatted(dir.resolve("data"), host));
    log = dir.resolve("registry.log");
    process =
        new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!ready()) {
      assertThat(process.isAlive())
          .as("docker-registry is running: %s", Files.readString(log))
          .isTrue();
      assertThat(Instant.now()).as("docker-registry answers").isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private boolean ready() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://" + host + "/v2/").toURL().openConnection();
      c.setConnectTimeout(200);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Pushes an OCI layout's tagged image (or index, every architecture) to {@code repo}. */
  String push(Path layout, String ref, String repo) throws Exception {
    String target = host + "/" + repo;
    Process p =
        new ProcessBuilder(
                "skopeo",
                "copy",
                "--quiet",
                "--all",
                "--dest-tls-verify=false",
                "oci:" + layout + ":" + ref,
                "docker://" + target)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("skopeo copy: %s", out).isZero();
    return target;
  }

  /** How many blob downloads the access log shows so far. */
  long blobGets() throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/sha256:"))
        .count();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
  }
}
