package dev.hearth.s9pk.hash;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native BLAKE3 library and its entry points.
 *
 * <p>Where it comes from: the build compiles it into the jar as the resource {@code
 * /dev/hearth/s9pk/hash/<os>-<arch>/libhearth-blake3.so} (src/main/native/build.sh), and {@link
 * LibraryCopy} copies it out for {@code dlopen}.
 */
// FFM linking is a restricted operation; start-cli and the tests enable native access for it.
@SuppressWarnings("restricted")
record NativeLibrary(
    String version,
    long hasherSize,
    MethodHandle init,
    MethodHandle update,
    MethodHandle finish,
    MethodHandle hashParallel) {
  private static final String NAME = "libhearth-blake3.so";

  /** The library for this platform, or empty (logged) when there is none or it cannot load. */
  static Optional<NativeLibrary> load() {
    try {
      Optional<NativeLibrary> loaded =
          LibraryCopy.load(
              NativeLibrary.class,
              "/dev/hearth/s9pk/hash",
              NAME,
              file -> bind(SymbolLookup.libraryLookup(file, Arena.global())));
      if (loaded.isEmpty()) {
        log().debug("no native BLAKE3 for {}: using Bouncy Castle", LibraryCopy.platform());
      }
      return loaded;
    } catch (IOException | RuntimeException | LinkageError e) {
      log()
          .warn(
              "native BLAKE3 did not load ({}): using Bouncy Castle, which is much slower",
              e.toString());
      return Optional.empty();
    }
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
    // Not critical: a whole mapped file in one call, which may take seconds, must not hold off
    // the garbage collector; its arguments are native memory, which needs no pinning.
    MethodHandle hashParallel =
        linker.downcallHandle(find(lookup, "hearth_blake3_hash_parallel"), shape);
    try {
      byte[] sizeBytes = new byte[8];
      size.invokeExact(MemorySegment.NULL, MemorySegment.ofArray(sizeBytes), 8L);
      long hasherSize = MemorySegment.ofArray(sizeBytes).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
      byte[] text = new byte[64];
      version.invokeExact(MemorySegment.NULL, MemorySegment.ofArray(text), 64L);
      return new NativeLibrary(
          MemorySegment.ofArray(text).getString(0), hasherSize, init, update, finish, hashParallel);
    } catch (Throwable t) {
      throw new IOException("calling the native BLAKE3 library failed", t);
    }
  }

  private static MemorySegment find(SymbolLookup lookup, String name) throws IOException {
    return lookup.find(name).orElseThrow(() -> new IOException("symbol " + name + " missing"));
  }
}
