package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.file.Path;

/**
 * How much of a database opening may load, and what it says when the database is too big: over
 * {@link PatchDbOptions#maxLoadBytes()}, or over what the heap holds. Both refusals are {@link
 * ErrorKind#DATABASE} errors naming the sizes rather than crashes: a database that does not fit
 * fails every restart the same way, so its owner needs a diagnostic, not a process that dies of
 * {@link OutOfMemoryError} in a loop.
 */
final class LoadLimit {
  private LoadLimit() {}

  /**
   * Refuses a database whose snapshot and journal to replay exceed {@code maxLoadBytes}.
   *
   * @param loadBytes their size on disk, taken from the file sizes before anything is read
   */
  static void check(Path dir, long loadBytes, long maxLoadBytes) {
    if (loadBytes > maxLoadBytes) {
      throw new StartException(
          ErrorKind.DATABASE,
          "the database at "
              + dir
              + " is "
              + describe(loadBytes)
              + " on disk (snapshot and journal), over the limit of "
              + describe(maxLoadBytes)
              + " that may be loaded (maxLoadBytes); refusing to load it, and nothing was changed"
              + " on disk");
    }
  }

  /**
   * The error for a load that ran out of heap. Such a database fails every restart the same way, so
   * it is reported like damage, with what its owner needs to know. The caller has let go of what it
   * loaded, so that building this message finds memory.
   */
  static StartException outOfHeap(Path dir, long loadBytes, OutOfMemoryError e) {
    return new StartException(
        ErrorKind.DATABASE,
        "the database at "
            + dir
            + " does not fit in memory: loading its "
            + describe(loadBytes)
            + " of snapshot and journal exhausted the JVM's maximum heap of "
            + describe(Runtime.getRuntime().maxMemory())
            + "; nothing was changed on disk. Give the JVM a larger heap (-Xmx) to open it",
        e);
  }

  private static String describe(long bytes) {
    return bytes >= 1 << 20
        ? "%d bytes (%d MiB)".formatted(bytes, bytes >> 20)
        : "%d bytes".formatted(bytes);
  }
}
