package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where one container's things are on the host. {@code state} ({@code <lxcPath>/<name>}) holds
 * plain directories: LXC's config and log, the rpc and logs directories bound into the container,
 * and every overlay's upper and work directories (on the host's file system, never on an overlay:
 * lab §8). {@code mounts} ({@code <mountRoot>/<name>}) holds every mount point: the root file
 * system and the host-side mounts of images and assets.
 */
record ContainerDirs(Path state, Path mounts) {
  static ContainerDirs of(ContainerSettings s, String name) {
    return new ContainerDirs(s.lxcPath().resolve(name), s.mountRoot().resolve(name));
  }

  Path config() {
    return state.resolve("config");
  }

  Path lxcLog() {
    return state.resolve("lxc.log");
  }

  Path rpc() {
    return state.resolve("rpc");
  }

  Path logs() {
    return state.resolve("logs");
  }

  /** The files we loop-mounted for this container, one per line: crash clean-up reads it. */
  Path loopFiles() {
    return state.resolve("loop-files");
  }

  /** Upper and work directories of overlay {@code id} ({@code rootfs}, {@code asset-1}, …). */
  Path upper(String id) {
    return state.resolve("layers").resolve(id).resolve("upper");
  }

  Path work(String id) {
    return state.resolve("layers").resolve(id).resolve("work");
  }

  Path rootfs() {
    return mounts.resolve("rootfs");
  }

  /** Host mount point of pre-start mount {@code id} ({@code image-1}, {@code raw-1}, …). */
  Path mount(String id) {
    return mounts.resolve(id);
  }

  /**
   * Deletes a directory tree of ours without following a symlink and without entering a mount:
   * something still mounted inside is an error (deleting through a mounted overlay would write
   * whiteouts over the image, lab §3), not something to delete.
   */
  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!MountTable.under(MountTable.read(), root).isEmpty()) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "will not delete " + root + ": something is still mounted in it");
    }
    try {
      Object dev = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (!dev.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                throw new IOException(dir + " is on another file system (still mounted?)");
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot delete " + root + ": " + e, e);
    }
  }
}
