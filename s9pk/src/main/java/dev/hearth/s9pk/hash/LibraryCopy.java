package dev.hearth.s9pk.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A native library the build put inside a jar as the resource {@code
 * <directory>/<os>-<arch>/<name>} (so the same lookup works from {@code target/classes} in tests
 * and from inside the shaded {@code start-cli.jar}). {@code dlopen} needs a real file, so the
 * resource is copied into a fresh owner-only temporary directory, loaded, and the file and
 * directory deleted at once (a mapped library outlives its directory entry). Nothing is cached
 * between runs, so no stale or planted library in a shared directory can ever be picked up, and
 * there is nothing to clean up; the copy costs well under a millisecond.
 */
public final class LibraryCopy {
  private LibraryCopy() {}

  /** What loads the copy: {@code dlopen} through the FFM API, or {@code System.load} for JNI. */
  @FunctionalInterface
  public interface Loader<T> {
    T load(Path file) throws IOException;
  }

  /**
   * Copies the library out and hands it to {@code loader}; empty if the jar of {@code owner} holds
   * none for this platform.
   *
   * @param directory the resource directory, absolute ({@code /dev/hearth/...})
   * @param name the file name, {@code lib<stem>.so}
   */
  public static <T> Optional<T> load(
      Class<?> owner, String directory, String name, Loader<T> loader) throws IOException {
    try (InputStream in = owner.getResourceAsStream(directory + "/" + platform() + "/" + name)) {
      if (in == null) {
        return Optional.empty();
      }
      String prefix = name.replaceFirst("^lib", "").replaceFirst("\\.so$", "") + "-";
      Path dir =
          ownerOnlyDirectory(
              Path.of(System.getProperty("java.io.tmpdir")), prefix, System::nanoTime);
      Path file = dir.resolve(name);
      try {
        Files.copy(in, file);
        return Optional.of(loader.load(file));
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    }
  }

  /**
   * A new directory that only this user can enter, in {@code parent}: named {@code prefix}, this
   * process and {@code unique}'s next value, made with mode 0700 by one {@code mkdir}, which fails
   * on any name that exists already (a directory or a link someone planted), and then the next name
   * is tried. {@code Files.createTempDirectory} does the same with random names, but seeding its
   * {@code SecureRandom} was about 14 ms of a {@code util b3sum}. A guessable name only lets
   * another user make us try again; after four taken names, {@code createTempDirectory} is used
   * after all.
   */
  static Path ownerOnlyDirectory(Path parent, String prefix, LongSupplier unique)
      throws IOException {
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    String named = prefix + ProcessHandle.current().pid() + "-";
    for (int attempt = 0; attempt < 4; attempt++) {
      try {
        return Files.createDirectory(parent.resolve(named + unique.getAsLong()), ownerOnly);
      } catch (FileAlreadyExistsException e) {
        // planted, or left by an earlier process with this pid: another name
      } catch (UnsupportedOperationException e) {
        break; // no POSIX permissions here
      }
    }
    return Files.createTempDirectory(parent, prefix);
  }

  /** {@code linux-x86_64}, {@code linux-aarch64}, … as the builds name their output directories. */
  public static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    arch =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> arch;
        };
    return (os.contains("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
  }
}
