package dev.hearth.patchdb;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Bytes that opening cut off the end of the journal and kept aside, so that whoever runs the
 * database can be told and can examine them. Opening cuts off the end of the newest segment when it
 * cannot be a record (a write cut short by a crash, or garbage) and no valid record follows it, so
 * nothing acknowledged was lost (docs/patchdb.md, "Opening and recovery"); the bytes are kept all
 * the same, because only a person can tell a crash from something worse.
 *
 * @param segment the journal segment they were cut from
 * @param offset the byte in that segment where they began
 * @param bytes how many bytes were cut off
 * @param keptAt the file in the database directory that holds them byte for byte (mode 0600); it
 *     may hold secrets, and nothing ever deletes it
 * @param reason why they could not be a record, such as "a record cut short"
 */
public record RecoveredTail(Path segment, long offset, long bytes, Path keptAt, String reason) {
  public RecoveredTail {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(keptAt, "keptAt");
    Objects.requireNonNull(reason, "reason");
    if (offset < 0 || bytes < 1) {
      throw new IllegalArgumentException(
          "a recovered tail needs offset >= 0 and bytes >= 1: " + offset + ", " + bytes);
    }
  }
}
