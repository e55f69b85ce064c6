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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a database directory: the newest snapshot, then every journal record after it, in order.
 *
 * <p>The one kind of damage repaired silently is a torn tail: the end of the newest segment where a
 * write was cut off (a short record, a record whose payload runs past the end, a last record whose
 * checksum fails, or zeros to the end). Such a record was never acknowledged, since a revision is
 * acknowledged only after its fsync. Anything else that fails a check, anywhere else, is damage to
 * acknowledged data: opening is refused with the file and byte position, and nothing is truncated.
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
      List<Path> obsolete) {}

  private final Path dir;
  private final JsonCodec codec;
  private long revision;
  private Json document;
  private int replayed;

  private Recovery(Path dir, JsonCodec codec, Json initial) {
    this.dir = dir;
    this.codec = codec;
    this.document = initial;
  }

  static Result recover(Path dir, JsonCodec codec, Json initial) throws IOException {
    return new Recovery(dir, codec, initial).run();
  }

  private Result run() throws IOException {
    TreeMap<Long, Path> snapshots = new TreeMap<>();
    TreeMap<Long, Path> segments = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.delete(file); // an unfinished snapshot; the old files are still complete
          continue;
        }
        OptionalLong snap = DiskFormat.snapshotRevision(name);
        OptionalLong seg = DiskFormat.segmentFirst(name);
        if (snap.isPresent()) {
          snapshots.put(snap.getAsLong(), file);
        } else if (seg.isPresent()) {
          segments.put(seg.getAsLong(), file);
        }
      }
    }
    List<Path> obsolete = new ArrayList<>();
    long snapshotRevision = 0;
    long snapshotBytes = 0;
    if (!snapshots.isEmpty()) {
      var newest = snapshots.lastEntry();
      SnapshotFile.Loaded loaded = SnapshotFile.read(newest.getValue(), newest.getKey(), codec);
      document = loaded.document();
      revision = loaded.revision();
      snapshotRevision = revision;
      snapshotBytes = loaded.bytes();
      obsolete.addAll(snapshots.headMap(newest.getKey()).values());
    }

    List<Map.Entry<Long, Path>> needed = new ArrayList<>();
    var entries = new ArrayList<>(segments.entrySet());
    for (int i = 0; i < entries.size(); i++) {
      boolean coveredBySnapshot =
          i + 1 < entries.size() && entries.get(i + 1).getKey() <= snapshotRevision + 1;
      if (coveredBySnapshot) {
        obsolete.add(entries.get(i).getValue());
      } else {
        needed.add(entries.get(i));
      }
    }

    JournalWriter writer = null;
    long journalBytes = 0;
    for (int i = 0; i < needed.size(); i++) {
      long first = needed.get(i).getKey();
      Path file = needed.get(i).getValue();
      boolean newest = i == needed.size() - 1;
      if (first > revision + 1) {
        throw damaged(
            file,
            0,
            "revisions " + (revision + 1) + " to " + (first - 1) + " are missing before it");
      }
      if (i > 0 && first != revision + 1) {
        throw damaged(file, 0, "it starts at revision " + first + ", after revision " + revision);
      }
      long validLength = replaySegment(file, first, newest);
      journalBytes += validLength;
      if (newest) {
        writer =
            validLength < DiskFormat.SEGMENT_HEADER_BYTES
                ? recreate(file, first)
                : JournalWriter.reopen(file, first, validLength);
      }
    }
    if (writer == null) {
      writer = JournalWriter.create(dir, revision + 1);
    }
    return new Result(
        revision,
        document,
        writer,
        snapshotRevision,
        snapshotBytes,
        journalBytes,
        replayed,
        obsolete);
  }

  /** A newest segment whose header never fully reached the disk has no records: start it over. */
  private JournalWriter recreate(Path file, long first) throws IOException {
    log.warn("journal {}: header incomplete after a crash during its creation; recreating", file);
    Files.delete(file);
    return JournalWriter.create(dir, first);
  }

  /**
   * Replays one segment into the document.
   *
   * @return the length of its valid prefix; less than a header when the newest segment's own header
   *     was torn
   */
  private long replaySegment(Path file, long first, boolean newest) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < DiskFormat.SEGMENT_HEADER_BYTES
        || !DiskFormat.magicMatches(bytes, 0, DiskFormat.JOURNAL_MAGIC)
        || b.getInt(16) != DiskFormat.crc(bytes, 0, 16)) {
      if (newest && (bytes.length < DiskFormat.SEGMENT_HEADER_BYTES || allZero(bytes, 0))) {
        return 0;
      }
      throw damaged(file, 0, "the segment header is not valid");
    }
    if (b.getLong(8) != first) {
      throw damaged(file, 8, "the header says it starts at revision " + b.getLong(8));
    }
    int offset = DiskFormat.SEGMENT_HEADER_BYTES;
    long expected = first;
    while (offset < bytes.length) {
      int remaining = bytes.length - offset;
      if (remaining < DiskFormat.RECORD_HEADER_BYTES) {
        return tornTail(file, offset, bytes.length, newest, "a partial record header");
      }
      if (b.getInt(offset + 16) != DiskFormat.crc(bytes, offset, 16)) {
        if (allZero(bytes, offset)) {
          return tornTail(file, offset, bytes.length, newest, "zeros");
        }
        throw damaged(file, offset, "the record header checksum does not match");
      }
      int length = b.getInt(offset);
      long recordRevision = b.getLong(offset + 4);
      if (recordRevision != expected) {
        throw damaged(
            file, offset, "the record is revision " + recordRevision + ", expected " + expected);
      }
      if (length < 0 || length > MAX_RECORD_BYTES) {
        throw damaged(file, offset, "the record declares an impossible length " + length);
      }
      int end = offset + DiskFormat.RECORD_HEADER_BYTES + length;
      if (end > bytes.length || end < 0) {
        return tornTail(file, offset, bytes.length, newest, "a record cut short");
      }
      int payloadAt = offset + DiskFormat.RECORD_HEADER_BYTES;
      if (b.getInt(offset + 12) != DiskFormat.crc(bytes, payloadAt, length)) {
        if (end == bytes.length) {
          return tornTail(file, offset, bytes.length, newest, "a last record with a bad checksum");
        }
        throw damaged(file, offset, "the record payload checksum does not match");
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
      JsonPatch patch = codec.mapper().readValue(bytes, payloadAt, length, JsonPatch.class);
      document = patch.apply(document);
    } catch (IOException | StartException e) {
      throw damaged(
          file, offset, "revision " + recordRevision + " does not apply: " + e.getMessage());
    }
    revision = recordRevision;
    replayed++;
  }

  private long tornTail(Path file, int offset, int size, boolean newest, String what) {
    if (!newest) {
      throw damaged(file, offset, what + " in a segment that is not the newest");
    }
    log.warn(
        "journal {}: dropping {} bytes of an unfinished write at byte {} ({})",
        file,
        size - offset,
        offset,
        what);
    return offset;
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
