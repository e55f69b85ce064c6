package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a database directory: the newest snapshot, then every journal record after it, in order.
 *
 * <p>Opening happens in two phases. Loading reads and checks, and changes nothing on disk, so that
 * a refusal (damage, or a database that does not fit in memory) leaves every file as it was.
 * Repairing then deletes unfinished snapshots and cuts off the torn tail, if any.
 *
 * <p>The one kind of damage repaired without asking is a torn tail: bytes at the end of the newest
 * segment that are not a record, after which no valid record follows (docs/patchdb.md, "Opening and
 * recovery"). A crash mid-write leaves one, and so does garbage appended to the file; either way no
 * acknowledged revision is in it, since a revision is acknowledged only after the fsync that covers
 * it and every later revision is written after it. Damage that overwrote the last records, with
 * nothing valid after it, cannot be told apart from these, which is why the bytes are kept in a
 * side file before the segment is cut, unless they are all zeros, and reported. Anything else that
 * fails a check, anywhere else, is damage to acknowledged data: opening is refused with the file
 * and byte position, and nothing is truncated.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  /** A revision payload larger than this is damage, not data. */
  static final int MAX_RECORD_BYTES = 1 << 30;

  /** What opening found. */
  record Result(
      long revision,
      Json document,
      JournalWriter writer,
      long snapshotRevision,
      long snapshotBytes,
      long journalBytes,
      int replayed,
      List<Path> obsolete,
      List<RecoveredTail> recoveredTails) {}

  private final Path dir;
  private final JsonCodec codec;
  private final Json initial;
  private long revision;
  private Json document;
  private int replayed;
  private long snapshotBytes;
  private long journalBytes;
  // The newest segment as loading left it: its valid length, and the tail to cut off after that.
  private DbFiles.@Nullable Segment newest;
  private long newestValidLength;
  private @Nullable TornTail torn;

  private Recovery(Path dir, JsonCodec codec, Json initial) {
    this.dir = dir;
    this.codec = codec;
    this.initial = initial;
    this.document = initial;
  }

  /**
   * Loads the database in {@code dir}, then repairs what may be repaired.
   *
   * @param maxLoadBytes the most bytes of snapshot and journal that opening may read
   * @throws StartException (DATABASE) if the files are damaged, over {@code maxLoadBytes}, or too
   *     large for the heap; in every case before anything on disk was changed
   */
  static Result recover(Path dir, JsonCodec codec, Json initial, long maxLoadBytes)
      throws IOException {
    DbFiles files = DbFiles.list(dir);
    long loadBytes = files.loadBytes();
    LoadLimit.check(dir, loadBytes, maxLoadBytes);
    var recovery = new Recovery(dir, codec, initial);
    try {
      recovery.load(files);
    } catch (OutOfMemoryError e) {
      // The bytes being read were local to load() and are unreachable now; the document is not.
      recovery.release();
      throw LoadLimit.outOfHeap(dir, loadBytes, e);
    }
    return recovery.repair(files);
  }

  /** Reads the snapshot and replays the journal into memory; writes nothing. */
  private void load(DbFiles files) throws IOException {
    Path snapshot = files.snapshot();
    if (snapshot != null) {
      SnapshotFile.Loaded loaded = SnapshotFile.read(snapshot, files.snapshotRevision(), codec);
      document = loaded.document();
      revision = loaded.revision();
      snapshotBytes = loaded.bytes();
    }
    List<DbFiles.Segment> segments = files.replay();
    for (int i = 0; i < segments.size(); i++) {
      DbFiles.Segment segment = segments.get(i);
      boolean isNewest = i == segments.size() - 1;
      if (segment.first() > revision + 1) {
        throw damaged(
            segment.file(),
            0,
            "revisions "
                + (revision + 1)
                + " to "
                + (segment.first() - 1)
                + " are missing before it");
      }
      if (i > 0 && segment.first() != revision + 1) {
        throw damaged(
            segment.file(),
            0,
            "it starts at revision " + segment.first() + ", after revision " + revision);
      }
      long validLength = replaySegment(segment, isNewest);
      journalBytes += validLength;
      if (isNewest) {
        newest = segment;
        newestValidLength = validLength;
      }
    }
  }

  /**
   * Lets go of the loaded document, which may fill most of the heap, so the failure can be told.
   */
  private void release() {
    document = initial;
  }

  /** Deletes unfinished snapshots, keeps and cuts off the torn tail, and opens the journal. */
  private Result repair(DbFiles files) throws IOException {
    for (Path unfinished : files.unfinished()) {
      Files.deleteIfExists(unfinished); // the files it would have replaced are still complete
    }
    List<RecoveredTail> kept = List.of();
    if (torn != null) {
      kept = cutOff(torn);
    }
    JournalWriter writer;
    if (newest == null) {
      writer = JournalWriter.create(dir, revision + 1);
    } else if (newestValidLength < DiskFormat.SEGMENT_HEADER_BYTES) {
      // Not even its header is valid, so it holds no record: start it over.
      Files.delete(newest.file());
      writer = JournalWriter.create(dir, revision + 1);
    } else {
      writer = JournalWriter.reopen(newest.file(), newest.first(), newestValidLength);
    }
    return new Result(
        revision,
        document,
        writer,
        files.snapshotRevision(),
        snapshotBytes,
        journalBytes,
        replayed,
        files.obsolete(),
        kept);
  }

  /** Keeps a torn tail aside unless it is all zeros; the caller then truncates the segment. */
  private List<RecoveredTail> cutOff(TornTail tail) throws IOException {
    if (tail.zeros()) {
      log.warn(
          "journal {}: cutting off {} bytes at byte {} ({}); all zeros, as an unfinished write"
              + " leaves, so not kept",
          tail.segment(),
          tail.bytes(),
          tail.offset(),
          tail.reason());
      return List.of();
    }
    RecoveredTail kept = tail.keepAside(dir);
    log.warn(
        "journal {}: cutting off {} bytes at byte {} ({}); they are kept in {}",
        tail.segment(),
        tail.bytes(),
        tail.offset(),
        tail.reason(),
        kept.keptAt());
    return List.of(kept);
  }

  /**
   * Replays one segment into the document.
   *
   * @return the length of its valid prefix; less than a header when the newest segment's own header
   *     is not valid
   */
  private long replaySegment(DbFiles.Segment segment, boolean isNewest) throws IOException {
    Path file = segment.file();
    long first = segment.first();
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < DiskFormat.SEGMENT_HEADER_BYTES) {
      return tornTail(segment, 0, bytes, isNewest, "a segment header cut short");
    }
    if (!DiskFormat.magicMatches(bytes, 0, DiskFormat.JOURNAL_MAGIC)
        || b.getInt(16) != DiskFormat.crc(bytes, 0, 16)) {
      return tornUnlessARecordFollows(
          segment, 0, bytes, isNewest, first, "the segment header is not valid");
    }
    if (b.getLong(8) != first) {
      throw damaged(file, 8, "the header says it starts at revision " + b.getLong(8));
    }
    int offset = DiskFormat.SEGMENT_HEADER_BYTES;
    long expected = first;
    while (offset < bytes.length) {
      int remaining = bytes.length - offset;
      if (remaining < DiskFormat.RECORD_HEADER_BYTES) {
        return tornTail(segment, offset, bytes, isNewest, "a partial record header");
      }
      if (b.getInt(offset + 16) != DiskFormat.crc(bytes, offset, 16)) {
        return tornUnlessARecordFollows(
            segment,
            offset,
            bytes,
            isNewest,
            expected,
            "the record header checksum does not match");
      }
      int length = b.getInt(offset);
      long recordRevision = b.getLong(offset + 4);
      if (recordRevision > expected) {
        // A valid record with a later revision in place of the expected one: revisions are missing.
        throw damaged(
            file, offset, "the record is revision " + recordRevision + ", expected " + expected);
      }
      if (recordRevision < expected) {
        return tornUnlessARecordFollows(
            segment,
            offset,
            bytes,
            isNewest,
            expected,
            "the record is revision " + recordRevision + ", expected " + expected);
      }
      if (length < 0 || length > MAX_RECORD_BYTES) {
        return tornUnlessARecordFollows(
            segment,
            offset,
            bytes,
            isNewest,
            expected,
            "the record declares an impossible length " + length);
      }
      int end = offset + DiskFormat.RECORD_HEADER_BYTES + length;
      if (end > bytes.length || end < 0) {
        return tornTail(segment, offset, bytes, isNewest, "a record cut short");
      }
      int payloadAt = offset + DiskFormat.RECORD_HEADER_BYTES;
      if (b.getInt(offset + 12) != DiskFormat.crc(bytes, payloadAt, length)) {
        if (end == bytes.length) {
          return tornTail(segment, offset, bytes, isNewest, "a last record with a bad checksum");
        }
        return tornUnlessARecordFollows(
            segment,
            offset,
            bytes,
            isNewest,
            expected,
            "the record payload checksum does not match");
      }
      if (recordRevision > revision) {
        applyRecord(file, offset, recordRevision, bytes, payloadAt, length);
      }
      expected++;
      offset = end;
    }
    return offset;
  }

  private void applyRecord(
      Path file, int offset, long recordRevision, byte[] bytes, int payloadAt, int length) {
    try {
      JsonPatch patch = codec.parsePatch(bytes, payloadAt, length);
      document = patch.apply(document);
    } catch (IOException | StartException e) {
      throw damaged(
          file, offset, "revision " + recordRevision + " does not apply: " + e.getMessage());
    }
    revision = recordRevision;
    replayed++;
  }

  /**
   * Damage at {@code offset} that only a write cut short could leave (a partial header, a record
   * running past the end of the file, a last record whose payload fails its checksum): a torn tail
   * in the newest segment, damage in any other.
   */
  private long tornTail(
      DbFiles.Segment segment, int offset, byte[] bytes, boolean isNewest, String what) {
    if (!isNewest) {
      throw damaged(segment.file(), offset, what + " in a segment that is not the newest");
    }
    return torn(segment, offset, bytes, what);
  }

  /**
   * Damage at {@code offset} of any other kind: a torn tail if it is in the newest segment and no
   * valid record follows it, damage to acknowledged data otherwise.
   */
  private long tornUnlessARecordFollows(
      DbFiles.Segment segment,
      int offset,
      byte[] bytes,
      boolean isNewest,
      long expected,
      String what) {
    if (!isNewest) {
      throw damaged(segment.file(), offset, what);
    }
    if (allZero(bytes, offset)) {
      return torn(segment, offset, bytes, "zeros");
    }
    int next = nextValidRecord(bytes, offset, expected);
    if (next >= 0) {
      throw damaged(
          segment.file(),
          offset,
          what
              + ", and a valid record of revision "
              + ByteBuffer.wrap(bytes).getLong(next + 4)
              + " follows at byte "
              + next);
    }
    return torn(segment, offset, bytes, what + " and no valid record follows");
  }

  private long torn(DbFiles.Segment segment, int offset, byte[] bytes, String why) {
    torn =
        new TornTail(
            segment.file(),
            segment.first(),
            offset,
            bytes.length - offset,
            why,
            allZero(bytes, offset));
    return offset;
  }

  /**
   * The first position after {@code damagedAt} holding a record header whose checksum matches and
   * whose revision could follow: at least {@code expected}, the revision the damaged record should
   * have had, and at most one more for every {@link DiskFormat#RECORD_HEADER_BYTES} in between,
   * since every record between takes at least that much. Such a record is acknowledged data beyond
   * the damage. The upper bound matters: JSON text never contains a zero byte, so a header found
   * inside a payload (a string a package chose, say) always declares a revision of at least 2^56,
   * and must not turn garbage after it into a refusal to open.
   *
   * @return the position, or -1 if there is none
   */
  static int nextValidRecord(byte[] bytes, int damagedAt, long expected) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    for (int at = damagedAt + 1; at + DiskFormat.RECORD_HEADER_BYTES <= bytes.length; at++) {
      long recordRevision = b.getLong(at + 4);
      long most = expected + (at - damagedAt) / DiskFormat.RECORD_HEADER_BYTES;
      if (recordRevision >= expected
          && recordRevision <= most
          && b.getInt(at + 16) == DiskFormat.crc(bytes, at, 16)) {
        return at;
      }
    }
    return -1;
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static StartException damaged(Path file, long position, String why) {
    return new StartException(
        ErrorKind.DATABASE,
        "journal "
            + file
            + " is damaged at byte "
            + position
            + ": "
            + why
            + "; refusing to open rather than lose acknowledged revisions");
  }
}
