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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting and copying the daemon's directory trees: container state, volumes, snapshots. Written
 * once, because a package owns the files inside its volumes and may have planted links, mounts and
 * other file systems there.
 */
public final class FileTrees {
  private static final Logger log = LoggerFactory.getLogger(FileTrees.class);

  private FileTrees() {}

  /**
   * Deletes a directory tree of ours without following a symlink and without entering a mount:
   * something still mounted inside is an error (deleting through a mounted overlay would write
   * whiteouts over the image, lab §3), not something to delete. Nothing there is nothing to do.
   *
   * @throws StartException ({@link ErrorKind#FILESYSTEM}) if something is mounted inside or a file
   *     cannot be deleted
   */
  public static void delete(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      deleteQuietly(root);
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

  /** Deletes one file if it is there; a failure is logged and left for the next sweep. */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("could not delete {}: {}", file, e.toString());
    }
  }

  /** Creates an empty file (and its parents) if it is not there. */
  public static void touch(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + file, e);
    }
  }

  /** Where {@link #copy} builds its copy before it is complete. */
  public static Path partialCopy(Path to) {
    return to.resolveSibling(to.getFileName() + ".partial");
  }

  /**
   * {@code cp -a --reflink=auto}: a cheap copy where the file system allows, a full one otherwise,
   * owners, modes and links kept. Built beside {@code to} and renamed into place when complete, so
   * {@code to} exists only whole; what was at {@code to} before is replaced. Nothing at {@code
   * from} copies nothing.
   */
  public static void copy(Path from, Path to) throws InterruptedException {
    Path partial = partialCopy(to);
    delete(partial);
    delete(to);
    if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Process p =
          new ProcessBuilder("cp", "-a", "--reflink=auto", from.toString(), partial.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new StartException(ErrorKind.FILESYSTEM, "cannot copy " + from + ": " + out.trim());
      }
      Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot copy " + from, e);
    }
  }
}
