package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.container.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link LiveStateOverTlsIT} with the containers' bridge in a network namespace of its own ({@code
 * --netns}), as the web e2e and the service tests run the daemon. The proxy makes a service's
 * upstream sockets in that namespace; the UI's upstream, the HTTP server's loopback listener, is in
 * the daemon's. While the UI's sockets were made in the bridge's namespace too, the UI over HTTPS
 * answered 502 there (found by the web e2e).
 */
class LiveStateOverTlsBesideContainerNetnsIT extends LiveStateOverTlsIT {
  TestNetwork net;

  @Override
  StartdProcess start(Path dir) throws Exception {
    // The daemon's preflight wants container uids (from 100000) able to reach its directories.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    // Containers are enabled by a runtime image the daemon can mount; none is started here, so an
    // empty one will do.
    Path image = dir.resolve("runtime.squashfs");
    Path empty = Files.createDirectories(dir.resolve("empty-runtime"));
    Process squash =
        new ProcessBuilder("mksquashfs", empty.toString(), image.toString(), "-quiet", "-noappend")
            .redirectErrorStream(true)
            .start();
    String out = new String(squash.getInputStream().readAllBytes());
    if (squash.waitFor() != 0) {
      throw new IllegalStateException("mksquashfs failed: " + out);
    }
    net = TestNetwork.create();
    StartdProcess daemon =
        StartdProcess.start(
            dir,
            "--runtime-image",
            image.toString(),
            "--bridge",
            net.bridge(),
            "--subnet",
            net.subnet(),
            "--netns",
            net.netns(),
            "--forward-bind",
            "127.0.0.1");
    // Else the daemon runs without containers, and the namespace would prove nothing.
    try {
      assertThat(daemon.output())
          .anyMatch(l -> l.contains("containers ready") && l.contains(net.netns()));
    } catch (AssertionError e) {
      daemon.close(); // not yet the class's to close
      throw e;
    }
    return daemon;
  }

  @Override
  @AfterAll
  void tearDown() throws Exception {
    try {
      super.tearDown(); // the daemon leaves the namespace before it goes
    } finally {
      if (net != null) {
        net.delete();
      }
    }
  }
}
