package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop (SIGTERM) ends the daemon whenever it comes. */
class StopIT {
  /** What the JVM exits with after its shutdown hooks ran on SIGTERM (128 + 15). */
  private static final int STOPPED = 143;

  @TempDir Path dir;

  /**
   * Right after "startd ready" a set-up server brings up HTTPS and its network subsystem in the
   * background. A stop then once took the daemon's lock and waited for the network subsystem's,
   * which that subsystem held while it asked the daemon for its HTTPS address: the process never
   * ended (1 stop in 2 here, until the address was readable without the lock). {@link
   * StartdProcess#stop()} kills what has not ended after 30 s, which gives another exit code.
   */
  @Test
  void aStopRightAfterTheStartEndsTheDaemon() throws Exception {
    try (var startd = StartdProcess.start(dir)) {
      Servers.setUp(startd, "Stops");
    }
    for (int i = 0; i < 6; i++) {
      var startd = StartdProcess.start(dir);
      startd.url(); // ready: the background start of HTTPS and the network begins now
      assertThat(startd.stop()).as("exit of start %d: %s", i, startd.output()).isEqualTo(STOPPED);
    }
  }
}
