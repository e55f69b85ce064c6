package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Scratch-tree housekeeping that never follows a symbolic link. */
final class Trees {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private Trees() {}

  /**
   * Removes {@code root} and everything below it; a link is removed, never followed. Directories an
   * unprivileged user unpacked read-only are made writable first, so their entries can go.
   *
   * @throws StartException FILESYSTEM if something cannot be removed
   */
  static void delete(Path root) {
    if (!Files.exists(root, NOFOLLOW)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              makeWritable(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failed)
                throws IOException {
              if (failed != null) {
                throw failed;
              }
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot remove " + root + ": " + e, e);
    }
  }

  /** A change to a directory's entries. */
  interface Change {
    void run() throws IOException;
  }

  /**
   * Runs {@code change} on a directory's entries, then puts back its modification time and, if it
   * had to be made writable for an unprivileged user, its permissions.
   */
  static void changing(Path dir, Change change) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(dir, NOFOLLOW);
    int mode = (int) Files.getAttribute(dir, "unix:mode", NOFOLLOW);
    boolean opened = makeWritable(dir);
    try {
      change.run();
    } finally {
      if (opened) {
        Files.setAttribute(dir, "unix:mode", mode & 07777, NOFOLLOW); // keeps sticky and set-id
      }
      Files.setLastModifiedTime(dir, mtime);
    }
  }

  /**
   * Adds owner read, write and search to a directory the current user cannot change.
   *
   * @return whether the permissions changed
   */
  static boolean makeWritable(Path dir) throws IOException {
    if (Files.isWritable(dir) && Files.isExecutable(dir) && Files.isReadable(dir)) {
      return false;
    }
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    perms.addAll(Files.getPosixFilePermissions(dir, NOFOLLOW));
    perms.addAll(
        Set.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE));
    Files.setPosixFilePermissions(dir, perms);
    return true;
  }
}
