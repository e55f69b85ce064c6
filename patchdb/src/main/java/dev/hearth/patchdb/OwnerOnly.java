package dev.hearth.patchdb;

import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes of the database's files. The journal and snapshots hold password hashes and private
 * keys, so no other user of the host may read them: files are 0600.
 *
 * <p>Modes are set by the call that creates a file, never by a chmod afterwards, which would leave
 * a moment in which the file is open to others. On a file system without POSIX permissions there is
 * nothing to set.
 */
final class OwnerOnly {
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final FileAttribute<?>[] NONE = {};

  private OwnerOnly() {}

  /** Attributes that create a file in {@code dir} with mode 0600. */
  static FileAttribute<?>[] file(Path dir) {
    return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : NONE;
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
