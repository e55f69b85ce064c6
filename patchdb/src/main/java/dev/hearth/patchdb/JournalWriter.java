package dev.hearth.patchdb;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The segment new revisions are appended to. Not thread-safe: {@link PatchDb} calls it under its
 * write lock, except {@link #force}, which the commit leader may call while writers append (an
 * fsync covers whatever was written before it started).
 */
final class JournalWriter implements Closeable {
  private final FileChannel channel;
  private final long firstRevision;
  private final Path path;
  private volatile long size;

  private JournalWriter(FileChannel channel, Path path, long firstRevision, long size) {
    this.channel = channel;
    this.path = path;
    this.firstRevision = firstRevision;
    this.size = size;
  }

  /**
   * Creates a new, empty segment whose first record will be {@code firstRevision}, with mode 0600;
   * durable.
   */
  static JournalWriter create(Path dir, long firstRevision) throws IOException {
    Path path = dir.resolve(DiskFormat.segmentName(firstRevision));
    FileChannel channel =
        FileChannel.open(
            path,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ),
            OwnerOnly.file(dir));
    try {
      writeFully(channel, DiskFormat.segmentHeader(firstRevision), 0);
      channel.force(true);
      Fsync.directory(dir);
      return new JournalWriter(channel, path, firstRevision, DiskFormat.SEGMENT_HEADER_BYTES);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Reopens a recovered segment for appending after its last valid byte, cutting off the rest. */
  static JournalWriter reopen(Path path, long firstRevision, long validLength) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    try {
      if (channel.size() > validLength) {
        channel.truncate(validLength);
        channel.force(true);
      }
      return new JournalWriter(channel, path, firstRevision, validLength);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Appends a whole record with one write call, so a killed process leaves all of it or none. */
  void append(ByteBuffer record) throws IOException {
    long at = size;
    writeFully(channel, record, at);
    size = at + record.limit();
  }

  /** Cuts the segment back to {@code length} bytes after a failed append. */
  void truncate(long length) throws IOException {
    channel.truncate(length);
    size = length;
  }

  void force() throws IOException {
    channel.force(false);
  }

  long size() {
    return size;
  }

  long firstRevision() {
    return firstRevision;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }
}
