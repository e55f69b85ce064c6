package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** Writes and reads whole-document snapshots (format in {@link DiskFormat}). */
final class SnapshotFile {
  private SnapshotFile() {}

  /** A snapshot read back from disk. */
  record Loaded(long revision, Json document, long bytes) {}

  /**
   * Writes the document atomically: a temporary file (mode 0600), fsync, rename, fsync of the
   * directory. A crash leaves either the old set of files or the new one, never a partial snapshot
   * under its real name.
   *
   * @return the size of the file written
   */
  static long write(Path dir, long revision, Json document, JsonCodec codec) throws IOException {
    byte[] payload = codec.bytes(document);
    Path target = dir.resolve(DiskFormat.snapshotName(revision));
    Path temp = dir.resolve(DiskFormat.unfinishedSnapshotName(revision));
    // Created afresh, never reused, so that it gets mode 0600 whatever an earlier attempt left.
    Files.deleteIfExists(temp);
    try (FileChannel channel =
        FileChannel.open(
            temp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            OwnerOnly.file(dir))) {
      ByteBuffer[] parts = {DiskFormat.snapshotHeader(revision, payload), ByteBuffer.wrap(payload)};
      while (parts[1].hasRemaining()) {
        channel.write(parts);
      }
      channel.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    Fsync.directory(dir);
    return DiskFormat.SNAPSHOT_HEADER_BYTES + (long) payload.length;
  }

  /**
   * Reads and verifies a snapshot.
   *
   * @throws StartException (DATABASE) naming the file and the check that failed
   */
  static Loaded read(Path file, long expectedRevision, JsonCodec codec) throws IOException {
    long size = Files.size(file);
    if (size < DiskFormat.SNAPSHOT_HEADER_BYTES) {
      throw corrupt(file, "it is shorter than its header (" + size + " bytes)");
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (!DiskFormat.magicMatches(bytes, 0, DiskFormat.SNAPSHOT_MAGIC)) {
      throw corrupt(file, "it does not start with the snapshot magic");
    }
    if (b.getInt(28) != DiskFormat.crc(bytes, 0, 28)) {
      throw corrupt(file, "its header checksum does not match");
    }
    long revision = b.getLong(8);
    long length = b.getLong(16);
    if (revision != expectedRevision) {
      throw corrupt(file, "it holds revision " + revision + ", not the one its name says");
    }
    if (length != bytes.length - DiskFormat.SNAPSHOT_HEADER_BYTES) {
      throw corrupt(
          file,
          "its header declares "
              + length
              + " bytes of document but "
              + (bytes.length - DiskFormat.SNAPSHOT_HEADER_BYTES)
              + " follow");
    }
    if (b.getInt(24) != DiskFormat.crc(bytes, DiskFormat.SNAPSHOT_HEADER_BYTES, (int) length)) {
      throw corrupt(file, "its document checksum does not match");
    }
    Json document;
    try {
      document =
          codec.parse(
              new ByteArrayInputStream(bytes, DiskFormat.SNAPSHOT_HEADER_BYTES, (int) length));
    } catch (IOException e) {
      throw corrupt(file, "its document is not JSON: " + e.getMessage());
    }
    return new Loaded(revision, document, size);
  }

  private static StartException corrupt(Path file, String why) {
    return new StartException(
        ErrorKind.DATABASE, "snapshot " + file + " is damaged: " + why + "; refusing to open");
  }
}
