package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.base32.Base32;
import dev.hearth.startd.container.FileTrees;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.service.model.PackageId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where installed package files live: {@code archive/installed/<id>/<stem>.s9pk}, the stem being
 * the base32 of the archive's signature hash. The path of a package's files is always derived here
 * from its id and the stem recorded in {@code /private/packages/<id>} ({@link PackageHost}), never
 * read from the public model: a client that could write a path there once made uninstall delete a
 * host file of its choosing (issue 10). Everything a package's files need is in its own directory,
 * so removing a package, or undoing its install, deletes that directory and nothing else.
 */
final class Archives {
  private static final Pattern STEM = Pattern.compile("[a-z2-7]{1,64}x*");

  private final DataDirs dirs;

  Archives(DataDirs dirs) {
    this.dirs = dirs;
  }

  /** The directory of package {@code id}'s files. */
  Path dir(PackageId id) {
    return dirs.installed().resolve(id.value());
  }

  /** The file of archive {@code stem} of package {@code id}. */
  Path file(PackageId id, String stem) {
    if (!STEM.matcher(stem).matches()) {
      throw new StartException(
          ErrorKind.DATABASE, "the archive name recorded for " + id + " is not one we give");
    }
    return dir(id).resolve(stem + ".s9pk");
  }

  /** The installed archive of {@code id}, as its host record names it. */
  Optional<Path> installed(PackageId id, @Nullable PackageHost host) {
    return host == null || host.archive() == null
        ? Optional.empty()
        : Optional.of(file(id, host.archive()));
  }

  /**
   * Moves a verified package file into {@code id}'s directory, named by its signature hash ({@code
   * x} appended while that name is taken: the same file installed over itself), durably.
   *
   * @return the stem to record
   */
  String store(PackageId id, byte[] sighash, Path file) {
    String stem = Base32.encode(sighash).toLowerCase(Locale.ROOT).replace("=", "");
    try {
      Files.createDirectories(dir(id));
      while (Files.exists(file(id, stem))) {
        stem += "x";
      }
      Path to = file(id, stem);
      Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
        d.force(true);
      }
      return stem;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot store the package file", e);
    }
  }

  /** Deletes every file of {@code id} but archive {@code keep} (all of them if null). */
  void deleteAllBut(PackageId id, @Nullable String keep) {
    Path dir = dir(id);
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path kept = keep == null ? null : file(id, keep);
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> !f.equals(kept)).forEach(FileTrees::deleteQuietly);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot list " + dir, e);
    }
    if (keep == null) {
      FileTrees.deleteQuietly(dir);
    }
  }

  /**
   * Before per-package directories, archives lay directly in {@code archive/installed}: moves the
   * recorded one of {@code id} into its directory (at boot; idempotent).
   */
  void adoptLegacy(PackageId id, @Nullable PackageHost host) {
    if (host == null || host.archive() == null) {
      return;
    }
    Path legacy = dirs.installed().resolve(host.archive() + ".s9pk");
    Path now = file(id, host.archive());
    if (Files.exists(now) || !Files.isRegularFile(legacy)) {
      return;
    }
    try {
      Files.createDirectories(now.getParent());
      Files.move(legacy, now, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot move " + legacy + " to " + now, e);
    }
  }
}
