package dev.hearth.s9pk.hash;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native BLAKE3 library and its entry points.
 *
 * <p>Where it comes from: the build compiles it into the jar as the resource {@code
 * /dev/hearth/s9pk/hash/<os>-<arch>/libhearth-blake3.so} (src/main/native/build.sh), so the same
 * lookup works from {@code target/classes} in tests and from inside the shaded {@code
 * start-cli.jar}. {@code dlopen} needs a real file, so the resource is copied into a fresh
 * owner-only temporary directory, loaded, and the file deleted at once (a mapped library outlives
 * its directory entry). Nothing is cached between runs, so no stale or planted library in a shared
 * directory can ever be picked up, and there is nothing to clean up; the copy costs well under a
 * millisecond.
 */
// FFM linking is a restricted operation; start-cli and the tests enable native access for it.
@SuppressWarnings("restricted")
record NativeLibrary(
    String version, long hasherSize, MethodHandle init, MethodHandle update, MethodHandle finish) {
  private static final String NAME = "libhearth-blake3.so";

  /** The library for this platform, or empty (logged) when there is none or it cannot load. */
  static Optional<NativeLibrary> load() {
    String resource = "/dev/hearth/s9pk/hash/" + platform() + "/" + NAME;
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        log().debug("no native BLAKE3 for {}: using Bouncy Castle", platform());
        return Optional.empty();
      }
      Path dir =
          ownerOnlyDirectory(Path.of(System.getProperty("java.io.tmpdir")), System::nanoTime);
      Path file = dir.resolve(NAME);
      try {
        Files.copy(in, file);
        return Optional.of(bind(SymbolLookup.libraryLookup(file, Arena.global())));
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      log()
          .warn(
              "native BLAKE3 did not load ({}): using Bouncy Castle, which is much slower",
              e.toString());
      return Optional.empty();
    }
  }

  /**
   * A new directory that only this user can enter, in {@code parent}: named after this process and
   * {@code unique}'s next value, made with mode 0700 by one {@code mkdir}, which fails on any name
   * that exists already (a directory or a link someone planted), and then the next name is tried.
   * {@code Files.createTempDirectory} does the same with random names, but seeding its {@code
   * SecureRandom} was about 14 ms of a {@code util b3sum}. A guessable name only lets another user
   * make us try again; after four taken names, {@code createTempDirectory} is used after all.
   */
  static Path ownerOnlyDirectory(Path parent, LongSupplier unique) throws IOException {
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    String prefix = "hearth-blake3-" + ProcessHandle.current().pid() + "-";
    for (int attempt = 0; attempt < 4; attempt++) {
      try {
        return Files.createDirectory(parent.resolve(prefix + unique.getAsLong()), ownerOnly);
      } catch (FileAlreadyExistsException e) {
        // planted, or left by an earlier process with this pid: another name
      } catch (UnsupportedOperationException e) {
        break; // no POSIX permissions here
      }
    }
    return Files.createTempDirectory(parent, "hearth-blake3-");
  }

  /**
   * Made only when there is something to say: the first logger of a process initializes the logging
   * backend, about 45 ms of a {@code start-cli util b3sum} that otherwise logs nothing.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(NativeLibrary.class);
  }

  private static NativeLibrary bind(SymbolLookup lookup) throws IOException {
    // One shape for every entry point, (state, buffer, length), so one downcall stub serves them
    // all (hearth_blake3.c). critical(true): heap arrays are passed in place; an update is bounded
    // by Blake3.CHUNK_BYTES.
    Linker linker = Linker.nativeLinker();
    FunctionDescriptor shape =
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    Linker.Option critical = Linker.Option.critical(true);
    MethodHandle size =
        linker.downcallHandle(find(lookup, "hearth_blake3_hasher_size"), shape, critical);
    MethodHandle version =
        linker.downcallHandle(find(lookup, "hearth_blake3_version"), shape, critical);
    MethodHandle init = linker.downcallHandle(find(lookup, "hearth_blake3_init"), shape, critical);
    MethodHandle update =
        linker.downcallHandle(find(lookup, "hearth_blake3_update"), shape, critical);
    MethodHandle finish =
        linker.downcallHandle(find(lookup, "hearth_blake3_finalize"), shape, critical);
    try {
      byte[] sizeBytes = new byte[8];
      size.invokeExact(MemorySegment.NULL, MemorySegment.ofArray(sizeBytes), 8L);
      long hasherSize = MemorySegment.ofArray(sizeBytes).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
      byte[] text = new byte[64];
      version.invokeExact(MemorySegment.NULL, MemorySegment.ofArray(text), 64L);
      return new NativeLibrary(
          MemorySegment.ofArray(text).getString(0), hasherSize, init, update, finish);
    } catch (Throwable t) {
      throw new IOException("calling the native BLAKE3 library failed", t);
    }
  }

  private static MemorySegment find(SymbolLookup lookup, String name) throws IOException {
    return lookup.find(name).orElseThrow(() -> new IOException("symbol " + name + " missing"));
  }

  /** {@code linux-x86_64}, {@code linux-aarch64}, … as the build names its output directory. */
  static String platform() {
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
