package dev.hearth.cli.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real device nodes, made with {@code mknod}. That needs root: as any other user the test that
 * calls {@link #make} fails, never skips, because a check that silently did not run is no check (CI
 * runs the tests as root).
 */
final class DeviceNodes {
  private DeviceNodes() {}

  /**
   * @param type {@code b} for a block device, {@code c} for a character device
   */
  static Path make(Path path, String type, int major, int minor) throws Exception {
    Files.createDirectories(path.getParent());
    Process p =
        new ProcessBuilder(
                "mknod", path.toString(), type, Integer.toString(major), Integer.toString(minor))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor())
        .as(
            "mknod %s failed: %s (making a device node needs root; these tests must run as root,"
                + " as CI runs them; user %s)",
            path, output.strip(), System.getProperty("user.name"))
        .isZero();
    return path;
  }
}
