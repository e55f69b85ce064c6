package dev.hearth.s9pk.archive;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The bytes of an archive, read by absolute position: a file (positional reads, safe from any
 * thread) or an array (tests, small archives).
 */
public sealed interface ArchiveSource extends Closeable {
  long size();

  /** Fills {@code dst} from {@code position}; fewer bytes than asked means the source ended. */
  int read(long position, ByteBuffer dst) throws IOException;

  /** The file channel, when the source is a file: lets verification map it instead of reading. */
  Optional<FileChannel> channel();

  static ArchiveSource of(Path file) {
    try {
      return new OfFile(FileChannel.open(file, StandardOpenOption.READ), file.toString());
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot open " + file + ": " + e, e);
    }
  }

  static ArchiveSource of(byte[] bytes) {
    return new OfBytes(bytes.clone());
  }

  /**
   * An archive somewhere else, of a known size, read by position through {@code reader}: a remote
   * package fetched by byte ranges, of which only the header, the tables of contents and the files
   * read are ever transferred.
   */
  static ArchiveSource remote(String name, long size, Reader reader) {
    return new Remote(name, size, reader);
  }

  /** Reads bytes at a position: what {@link #remote} asks of its transport. */
  @FunctionalInterface
  interface Reader {
    /** Fills {@code dst} from {@code position}; fewer bytes than asked means the archive ended. */
    int read(long position, ByteBuffer dst) throws IOException;
  }

  /** Reads exactly {@code length} bytes at {@code position} (the caller checked the bounds). */
  default byte[] readFully(long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = read(position + buf.position(), buf);
      if (n <= 0) {
        throw new IOException("the archive ended at byte " + (position + buf.position()));
      }
    }
    return buf.array();
  }

  /** A stream of {@code length} bytes from {@code position}, read in 64 KiB pieces. */
  default InputStream stream(long position, long length) {
    return new InputStream() {
      private long pos = position;
      private final long end = position + length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= end) {
          return -1;
        }
        int n =
            ArchiveSource.this.read(pos, ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)));
        if (n <= 0) {
          throw new IOException("the archive ended at byte " + pos + ", before " + end);
        }
        pos += n;
        return n;
      }
    };
  }

  /** A file, read with positional reads. */
  record OfFile(FileChannel ch, String name) implements ArchiveSource {
    @Override
    public long size() {
      try {
        return ch.size();
      } catch (IOException e) {
        throw new StartException(ErrorKind.FILESYSTEM, "cannot stat " + name + ": " + e, e);
      }
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      int total = 0;
      while (dst.hasRemaining()) {
        int n = ch.read(dst, position + total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      return total;
    }

    @Override
    public Optional<FileChannel> channel() {
      return Optional.of(ch);
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** An archive read through a {@link Reader}. */
  record Remote(String name, long size, Reader reader) implements ArchiveSource {
    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      if (position >= size) {
        return 0;
      }
      if (dst.remaining() > size - position) {
        ByteBuffer part = dst.slice(dst.position(), (int) (size - position));
        int n = reader.read(position, part);
        dst.position(dst.position() + n);
        return n;
      }
      return reader.read(position, dst);
    }

    @Override
    public Optional<FileChannel> channel() {
      return Optional.empty();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return name;
    }
  }

  /** Bytes in memory. */
  record OfBytes(byte[] bytes) implements ArchiveSource {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public int read(long position, ByteBuffer dst) {
      if (position >= bytes.length) {
        return 0;
      }
      int n = (int) Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, (int) position, n);
      return n;
    }

    @Override
    public Optional<FileChannel> channel() {
      return Optional.empty();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "archive in memory (" + bytes.length + " bytes)";
    }
  }
}
