package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.file.Path;

/**
 * How much of a database opening may load ({@link PatchDbOptions#maxLoadBytes()}). The refusal is a
 * {@link ErrorKind#DATABASE} error naming both sizes: a database that does not fit fails every
 * restart the same way, so its owner needs a diagnostic, not a process that dies in a loop.
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

  private static String describe(long bytes) {
    return bytes >= 1 << 20
        ? "%d bytes (%d MiB)".formatted(bytes, bytes >> 20)
        : "%d bytes".formatted(bytes);
  }
}
