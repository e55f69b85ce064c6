package dev.hearth.startd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The modes of the data directory's top levels (issue 10: the database, with every key and the
 * password hash, was once readable by any host user). Everything the daemon writes is private
 * (umask 077, see {@code Umask}); these directories are set explicitly, also on a data directory an
 * older release made:
 *
 * <ul>
 *   <li>the data directory and the ways to containers' files are 0711: containers' roots (each a
 *       host uid of its own) must be able to pass through them to their root file systems and
 *       volumes, as LXC checks; no one else can list them, and what lies beyond belongs to each
 *       container alone (see the container subsystem);
 *   <li>the database, logs and package archives are 0700.
 * </ul>
 */
final class DataDirectory {
  private static final List<String> PASSAGES =
      List.of("containers", "package-data", "package-data/volumes");
  private static final List<String> PRIVATE =
      List.of("db", "logs", "package-data/logs", "package-data/archive");

  private DataDirectory() {}

  static void prepare(Path dataDir) throws IOException {
    // Parents made here get the mode they had before the daemon's umask was 077: they are the
    // host's directories, not ours.
    java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
    for (Path p = dataDir.toAbsolutePath().getParent();
        p != null && !Files.exists(p);
        p = p.getParent()) {
      missing.push(p);
    }
    for (Path p : missing) {
      Files.createDirectory(p);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.createDirectories(dataDir);
    passage(dataDir);
    for (String p : PASSAGES) {
      Path dir = dataDir.resolve(p);
      Files.createDirectories(dir);
      passage(dir);
    }
    for (String p : PRIVATE) {
      Path dir = dataDir.resolve(p);
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  private static void passage(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
  }
}
