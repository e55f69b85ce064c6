package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Writes and reads whole-document snapshots (format in {@link DiskFormat}).
 *
 * <p>The document is streamed in both directions, never held as one array of bytes: a snapshot is
 * written when the document is at its largest, and a byte copy of it (twice over, while Jackson
 * assembled one) was what ran the heap out.
 */
final class SnapshotFile {
  private static final int BUFFER_BYTES = 64 * 1024;

  private SnapshotFile() {}

  /** A snapshot read back from disk. */
  record Loaded(long revision, Json document, long bytes) {}

  /**
   * Writes the document atomically: a temporary file (mode 0600), fsync, rename, fsync of the
   * directory. A crash leaves either the old set of files or the new one, never a partial snapshot
   * under its real name; a failure deletes the temporary file.
   *
   * @return the size of the file written
   */
  static long write(Path dir, long revision, Json document, JsonCodec codec) throws IOException {
    Path target = dir.resolve(DiskFormat.snapshotName(revision));
    Path temp = dir.resolve(DiskFormat.unfinishedSnapshotName(revision));
    // Created afresh, never reused, so that it gets mode 0600 whatever an earlier attempt left.
    Files.deleteIfExists(temp);
    long length;
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              OwnerOnly.file(dir))) {
        // The header holds the payload's length and checksum, known only once it is written: the
        // payload goes after room for the header, and the header goes in last.
        channel.position(DiskFormat.SNAPSHOT_HEADER_BYTES);
        var payload = new Checksummed(Channels.newOutputStream(channel));
        codec.write(document, payload);
        payload.flush();
        length = payload.count;
        ByteBuffer header =
            DiskFormat.snapshotHeader(revision, length, (int) payload.crc.getValue());
        while (header.hasRemaining()) {
          channel.write(header, header.position());
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException | RuntimeException deleteFailed) {
        e.addSuppressed(deleteFailed);
      }
      throw e;
    }
    Fsync.directory(dir);
    return DiskFormat.SNAPSHOT_HEADER_BYTES + length;
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
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(DiskFormat.SNAPSHOT_HEADER_BYTES);
      ByteBuffer header = ByteBuffer.wrap(bytes);
      if (!DiskFormat.magicMatches(bytes, 0, DiskFormat.SNAPSHOT_MAGIC)) {
        throw corrupt(file, "it does not start with the snapshot magic");
      }
      if (header.getInt(28) != DiskFormat.crc(bytes, 0, 28)) {
        throw corrupt(file, "its header checksum does not match");
      }
      long revision = header.getLong(8);
      long length = header.getLong(16);
      if (revision != expectedRevision) {
        throw corrupt(file, "it holds revision " + revision + ", not the one its name says");
      }
      if (length != size - DiskFormat.SNAPSHOT_HEADER_BYTES) {
        throw corrupt(
            file,
            "its header declares "
                + length
                + " bytes of document but "
                + (size - DiskFormat.SNAPSHOT_HEADER_BYTES)
                + " follow");
      }
      // Parsing while the checksum is computed reads the file once; what was parsed counts only
      // if the checksum over every byte of the document then matches.
      var payload = new CheckedInputStream(new BufferedInputStream(in, BUFFER_BYTES), new CRC32C());
      Json document = null;
      IOException notJson = null;
      try {
        document = codec.parse(new KeptOpen(payload));
      } catch (IOException e) {
        notJson = e;
      }
      payload.transferTo(OutputStream.nullOutputStream()); // whatever the parser left unread
      if ((int) payload.getChecksum().getValue() != header.getInt(24)) {
        throw corrupt(file, "its document checksum does not match");
      }
      if (notJson != null || document == null) {
        throw corrupt(
            file, "its document is not JSON: " + (notJson == null ? "" : notJson.getMessage()));
      }
      return new Loaded(revision, document, size);
    }
  }

  private static StartException corrupt(Path file, String why) {
    return new StartException(
        ErrorKind.DATABASE, "snapshot " + file + " is damaged: " + why + "; refusing to open");
  }

  /**
   * Counts and checksums what passes through to a buffered channel stream. Closing it only flushes:
   * Jackson closes the stream it wrote to, and the channel still has a header to take.
   */
  private static final class Checksummed extends FilterOutputStream {
    final CRC32C crc = new CRC32C();
    long count;

    Checksummed(OutputStream channel) {
      super(new BufferedOutputStream(channel, BUFFER_BYTES));
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** Jackson closes the stream it parsed; the rest of the document must still be checksummed. */
  private static final class KeptOpen extends FilterInputStream {
    KeptOpen(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
