package dev.hearth.patchdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The end of the newest segment that opening cuts off: from {@code offset} to the end of the file,
 * bytes that cannot be a record and after which no valid record follows.
 *
 * @param segment the newest segment
 * @param first its first revision
 * @param offset where the bytes begin; 0 when even the segment header is not valid
 * @param bytes how many there are
 * @param reason why they are not a record
 * @param zeros whether they are all zeros, as a file system leaves blocks it allocated but never
 *     wrote; such a tail says nothing, so it is not kept
 */
record TornTail(Path segment, long first, long offset, long bytes, String reason, boolean zeros) {

  /**
   * Copies the bytes to a new side file in {@code dir} ({@link DiskFormat#damagedTailName}), never
   * over an existing one, and makes it durable: the segment may be cut only after this returns.
   */
  RecoveredTail keepAside(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path kept = dir.resolve(DiskFormat.damagedTailName(first, offset, attempt));
      FileChannel out;
      try {
        out =
            FileChannel.open(
                kept,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OwnerOnly.file(dir));
      } catch (FileAlreadyExistsException e) {
        continue; // kept by an earlier open at the same place; keep both
      }
      try (out;
          FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
        for (long copied = 0; copied < bytes; ) {
          long n = in.transferTo(offset + copied, bytes - copied, out);
          if (n <= 0) {
            throw new IOException(segment + " shrank while its tail was being kept");
          }
          copied += n;
        }
        out.force(true);
      } catch (IOException | RuntimeException e) {
        try {
          Files.deleteIfExists(kept); // a partial copy; the segment is still whole
        } catch (IOException deleteFailed) {
          e.addSuppressed(deleteFailed);
        }
        throw e;
      }
      Fsync.directory(dir);
      return new RecoveredTail(segment, offset, bytes, kept, reason);
    }
  }
}
