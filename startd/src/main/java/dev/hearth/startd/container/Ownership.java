package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Host directories made for a container, owned by its root (host uid/gid 100000). */
final class Ownership {
  private Ownership() {}

  /**
   * Creates {@code dir} (and missing parents, owned by host root) and gives it to container root.
   */
  static Path containerDir(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      giveToContainer(dir);
      return dir;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + dir + ": " + e, e);
    }
  }

  /**
   * Creates {@code dir} and its parents, owned by host root, mode 0711: container root must be able
   * to traverse the paths to its rootfs and binds (LXC checks, as uid 100000), but has no business
   * listing them.
   */
  static Path hostDir(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      return dir;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + dir + ": " + e, e);
    }
  }

  /** Gives a host path of ours to container root, without following a symlink. */
  static void giveToContainer(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", Layout.ROOT_UID, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", Layout.ROOT_UID, LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes a file of ours, mode 0644, owned by container root. */
  static void containerFile(Path file, String content) {
    try {
      Files.writeString(file, content);
      giveToContainer(file);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write " + file + ": " + e, e);
    }
  }
}
