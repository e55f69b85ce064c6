package dev.hearth.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Device nodes, FIFOs and sockets made for real, for tests of what an image may hold. Making a
 * device node needs root: as any other user {@link #blockDevice} and {@link #charDevice} fail the
 * test that calls them, never skip it, because a check that silently did not run is no check (CI
 * runs the tests as root).
 */
public final class SpecialFiles {
  private SpecialFiles() {}

  public static Path blockDevice(Path path, int major, int minor) {
    return mknod(path, "b", major, minor);
  }

  public static Path charDevice(Path path, int major, int minor) {
    return mknod(path, "c", major, minor);
  }

  public static Path fifo(Path path) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    run(List.of("mkfifo", path.toString()), "");
    return path;
  }

  /** A listening socket's file; it stays after the socket is closed. */
  public static Path socket(Path path) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(path));
    }
    return path;
  }

  private static Path mknod(Path path, String type, int major, int minor) {
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new AssertionError("cannot make the directory of " + path, e);
    }
    run(
        List.of("mknod", path.toString(), type, Integer.toString(major), Integer.toString(minor)),
        " (making a device node needs root; these tests must run as root, as CI runs them; user "
            + System.getProperty("user.name")
            + ")");
    return path;
  }

  private static void run(List<String> command, String hint) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(command + " failed: " + output.strip() + hint).isZero();
    } catch (IOException e) {
      throw new AssertionError(command + " could not run" + hint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(command + " was interrupted", e);
    }
  }
}
