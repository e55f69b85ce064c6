package dev.hearth.patchdb;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modes of the database's files. The journal and snapshots hold password hashes and private
 * keys, so no other user of the host may read them: files are 0600 and the directory 0700.
 *
 * <p>Modes are set by the call that creates a file, never by a chmod afterwards, which would leave
 * a moment in which the file is open to others. On a file system without POSIX permissions there is
 * nothing to set.
 */
final class OwnerOnly {
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private static final FileAttribute<?>[] NONE = {};

  private OwnerOnly() {}

  /** Attributes that create a file in {@code dir} with mode 0600. */
  static FileAttribute<?>[] file(Path dir) {
    return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : NONE;
  }

  /**
   * Creates the database directory with mode 0700 unless it exists. Missing parents are created as
   * any directory would be: they may be shared with others, such as a data root that containers
   * traverse, and hold nothing of the database's.
   */
  static void createDirectory(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileAttribute<?>[] attributes =
        posix(dir)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)}
            : NONE;
    try {
      Files.createDirectory(dir, attributes);
    } catch (FileAlreadyExistsException e) {
      // an existing database, or a directory made for it: tighten() sees to its mode
    }
  }

  /**
   * Takes away from {@code dir} and from the database's files in it every permission beyond 0700
   * and 0600, so that a directory written by an older version, which used the process umask, stops
   * exposing its secrets. Files the database did not make, and anything in the directory that is
   * not a regular file (a symbolic link to elsewhere, say), are left alone.
   *
   * @return the paths whose mode changed
   */
  static List<Path> tighten(Path dir) throws IOException {
    List<Path> changed = new ArrayList<>();
    if (!posix(dir)) {
      return changed;
    }
    // The directory may be a link its owner made to put the data elsewhere: tighten what it names.
    tighten(dir, Files.readAttributes(dir, PosixFileAttributes.class), DIRECTORY, changed);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        if (DiskFormat.isDatabaseFile(file.getFileName().toString())) {
          var attributes =
              Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (attributes.isRegularFile()) {
            tighten(file, attributes, FILE, changed);
          }
        }
      }
    }
    return changed;
  }

  private static void tighten(
      Path path,
      PosixFileAttributes attributes,
      Set<PosixFilePermission> allowed,
      List<Path> changed)
      throws IOException {
    if (!allowed.containsAll(attributes.permissions())) {
      Files.setPosixFilePermissions(path, allowed);
      changed.add(path);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
