package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Host directories made for a container, owned by its root (its {@link ContainerIds#root()}). */
final class Ownership {
  private Ownership() {}

  /**
   * Creates {@code dir} (and missing parents, owned by host root) and gives it to container root.
   */
  static Path containerDir(Path dir, ContainerIds ids) {
    try {
      makeParents(dir);
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      giveToContainer(dir, ids);
      return dir;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + dir + ": " + e, e);
    }
  }

  /**
   * Creates {@code dir} and its parents, owned by host root, mode 0711: container root must be able
   * to traverse the paths to its rootfs and binds (LXC checks, as that root), but has no business
   * listing them.
   */
  static Path hostDir(Path dir) {
    try {
      makeParents(dir);
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, TRAVERSE_ONLY);
      return dir;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + dir + ": " + e, e);
    }
  }

  /**
   * Creates {@code dir}, a container's own directory on the host, owned by host root and the
   * container root's group, mode 0710: its container can pass through to what lies below (LXC
   * checks, as that root), no other container and no host user but root can.
   */
  static Path containerPassage(Path dir, ContainerIds ids) {
    try {
      makeParents(dir);
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x---"));
      Files.setAttribute(dir, "unix:gid", ids.root(), LinkOption.NOFOLLOW_LINKS);
      return dir;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + dir + ": " + e, e);
    }
  }

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> TRAVERSE_ONLY =
      PosixFilePermissions.fromString("rwx--x--x");

  /**
   * Creates the missing parents of {@code dir} as host directories, mode 0711 whatever the umask
   * (the daemon's is 077, which would lock container root out of the way to its files).
   */
  private static void makeParents(Path dir) throws IOException {
    java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
    for (Path p = dir.getParent();
        p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
        p = p.getParent()) {
      missing.push(p);
    }
    for (Path p : missing) {
      Files.createDirectories(p);
      Files.setPosixFilePermissions(p, TRAVERSE_ONLY);
    }
  }

  /** Gives a host path of ours to container root, without following a symlink. */
  static void giveToContainer(Path p, ContainerIds ids) throws IOException {
    Files.setAttribute(p, "unix:uid", ids.root(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", ids.root(), LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes a file of ours, mode 0644, owned by container root. */
  static void containerFile(Path file, String content, ContainerIds ids) {
    try {
      Files.writeString(file, content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      giveToContainer(file, ids);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write " + file + ": " + e, e);
    }
  }
}
