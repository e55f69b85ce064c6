package dev.hearth.patchdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The bytes on disk (docs/patchdb.md, "Files"). All integers are big-endian; every header and
 * payload carries a CRC-32C, so damage is found, not replayed.
 *
 * <pre>
 * journal-&lt;first revision, 20 digits&gt;.log
 *   header  magic "HPDBJRN1" | u64 first revision | u32 crc of the 16 bytes before
 *   record  u32 payload length | u64 revision | u32 payload crc | u32 crc of the 16 bytes before
 *           | payload: the revision's JSON Patch as UTF-8 JSON
 * snapshot-&lt;revision, 20 digits&gt;.db
 *   header  magic "HPDBSNP1" | u64 revision | u64 payload length | u32 payload crc
 *           | u32 crc of the 28 bytes before
 *   payload the whole document as UTF-8 JSON
 * snapshot-&lt;revision, 20 digits&gt;.db.tmp
 *   a snapshot being written; renamed into place once durable, deleted when found on opening
 * damaged-&lt;segment's first revision, 20 digits&gt;-&lt;byte offset&gt;[-&lt;n&gt;].bin
 *   bytes recovery cut off the end of that segment, kept for the user; never read back
 * LOCK
 *   empty; held with an exclusive lock while the database is open
 * </pre>
 *
 * <p>Every file is created with mode 0600 and the directory with 0700 ({@link OwnerOnly}).
 */
final class DiskFormat {
  static final byte[] JOURNAL_MAGIC = "HPDBJRN1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SNAPSHOT_MAGIC = "HPDBSNP1".getBytes(StandardCharsets.US_ASCII);
  static final int SEGMENT_HEADER_BYTES = 20;
  static final int RECORD_HEADER_BYTES = 20;
  static final int SNAPSHOT_HEADER_BYTES = 32;

  private static final String SEGMENT_PREFIX = "journal-";
  private static final String SEGMENT_SUFFIX = ".log";
  private static final String SNAPSHOT_PREFIX = "snapshot-";
  private static final String SNAPSHOT_SUFFIX = ".db";
  private static final String UNFINISHED_SUFFIX = ".tmp";
  private static final String DAMAGED_PREFIX = "damaged-";
  private static final String DAMAGED_SUFFIX = ".bin";
  static final String LOCK_NAME = "LOCK";

  private DiskFormat() {}

  static String segmentName(long firstRevision) {
    return SEGMENT_PREFIX + "%020d".formatted(firstRevision) + SEGMENT_SUFFIX;
  }

  static String snapshotName(long revision) {
    return SNAPSHOT_PREFIX + "%020d".formatted(revision) + SNAPSHOT_SUFFIX;
  }

  /** Where a snapshot is written before it is renamed to {@link #snapshotName}. */
  static String unfinishedSnapshotName(long revision) {
    return snapshotName(revision) + UNFINISHED_SUFFIX;
  }

  /**
   * The side file for bytes cut off a segment at {@code offset}; {@code attempt} > 1 when an
   * earlier cut at the same place was already kept. Its prefix and suffix differ from a segment's
   * and a snapshot's, so it can never be taken for either.
   */
  static String damagedTailName(long segmentFirst, long offset, int attempt) {
    return DAMAGED_PREFIX
        + "%020d-%d".formatted(segmentFirst, offset)
        + (attempt > 1 ? "-" + attempt : "")
        + DAMAGED_SUFFIX;
  }

  /** Whether a snapshot was being written under this name when the process stopped. */
  static boolean isUnfinishedSnapshot(String fileName) {
    return fileName.endsWith(UNFINISHED_SUFFIX)
        && snapshotRevision(fileName.substring(0, fileName.length() - UNFINISHED_SUFFIX.length()))
            .isPresent();
  }

  /** Whether the database made a file of this name, as opposed to a file someone else put there. */
  static boolean isDatabaseFile(String fileName) {
    return fileName.equals(LOCK_NAME)
        || segmentFirst(fileName).isPresent()
        || snapshotRevision(fileName).isPresent()
        || isUnfinishedSnapshot(fileName)
        || (fileName.startsWith(DAMAGED_PREFIX) && fileName.endsWith(DAMAGED_SUFFIX));
  }

  /** The first revision a segment file name declares, if it is a segment name. */
  static OptionalLong segmentFirst(String fileName) {
    return number(fileName, SEGMENT_PREFIX, SEGMENT_SUFFIX);
  }

  /** The revision a snapshot file name declares, if it is a snapshot name. */
  static OptionalLong snapshotRevision(String fileName) {
    return number(fileName, SNAPSHOT_PREFIX, SNAPSHOT_SUFFIX);
  }

  private static OptionalLong number(String name, String prefix, String suffix) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
      return OptionalLong.empty();
    }
    String digits = name.substring(prefix.length(), name.length() - suffix.length());
    if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static ByteBuffer segmentHeader(long firstRevision) {
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
    b.put(JOURNAL_MAGIC).putLong(firstRevision);
    b.putInt(crc(b.array(), 0, 16));
    return b.flip();
  }

  static ByteBuffer record(long revision, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
    b.putInt(payload.length).putLong(revision).putInt(crc(payload, 0, payload.length));
    b.putInt(crc(b.array(), 0, 16));
    b.put(payload);
    return b.flip();
  }

  /** The header of a snapshot whose payload is {@code length} bytes with CRC-32C {@code crc}. */
  static ByteBuffer snapshotHeader(long revision, long length, int crc) {
    ByteBuffer b = ByteBuffer.allocate(SNAPSHOT_HEADER_BYTES);
    b.put(SNAPSHOT_MAGIC).putLong(revision).putLong(length);
    b.putInt(crc);
    b.putInt(crc(b.array(), 0, 28));
    return b.flip();
  }

  static boolean magicMatches(byte[] bytes, int offset, byte[] magic) {
    return bytes.length >= offset + magic.length
        && Arrays.equals(bytes, offset, offset + magic.length, magic, 0, magic.length);
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
