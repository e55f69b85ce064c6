package dev.hearth.s9pk.hash;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An incremental BLAKE3 hasher (default mode, 32-byte output). {@link #newHasher()} picks the
 * native implementation when its library loaded, else Bouncy Castle; {@link #implementation()} says
 * which. Not thread-safe: one hasher per thread of work.
 */
public abstract sealed class Blake3 permits NativeBlake3, PortableBlake3 {
  /** How {@link #hashFile} reads: mapping the file, or {@code read} calls into one buffer. */
  public enum FileRead {
    MMAP,
    READ
  }

  // Large enough that per-call overhead vanishes, small enough to keep each native call short.
  static final int CHUNK_BYTES = 4 << 20;
  private static final int READ_BUFFER_BYTES = 1 << 20;
  // Hashing is bound by memory bandwidth well before this many cores.
  private static final int MAX_THREADS = 8;

  Blake3() {}

  /** A new hasher: native if available, else portable. */
  public static Blake3 newHasher() {
    return NativeBlake3.available() ? new NativeBlake3() : new PortableBlake3();
  }

  /** "native C BLAKE3 1.3.1" or "Bouncy Castle": for diagnostics and benchmarks. */
  public static String implementation() {
    return NativeBlake3.available() ? "native C BLAKE3 " + NativeBlake3.version() : "Bouncy Castle";
  }

  public static Blake3Hash hash(byte[] data) {
    Blake3 h = newHasher();
    h.update(data, 0, data.length);
    return h.finish();
  }

  /** Hashes everything the stream yields (the stream is not closed). */
  public static Blake3Hash hash(InputStream in) throws IOException {
    Blake3 h = newHasher();
    byte[] buf = new byte[64 << 10];
    for (int n; (n = in.read(buf)) > 0; ) {
      h.update(buf, 0, n);
    }
    return h.finish();
  }

  /**
   * Hashes a whole file; a file that is not a regular one (a pipe, a device) is read to its end.
   *
   * @throws StartException FILESYSTEM if the file cannot be read
   */
  public static Blake3Hash hashFile(Path file, FileRead mode) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (!Files.isRegularFile(file)) {
        // A pipe or device has no size to range over: hash whatever it yields.
        try (InputStream in = Channels.newInputStream(ch)) {
          return hash(in);
        }
      }
      return hashRange(ch, 0, ch.size(), mode);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file + ": " + e, e);
    }
  }

  /** Hashes {@code length} bytes of the channel from {@code position}. */
  public static Blake3Hash hashRange(FileChannel ch, long position, long length, FileRead mode)
      throws IOException {
    if (mode == FileRead.READ && length > 2L * CHUNK_BYTES) {
      return readingAhead(ch, position, length);
    }
    Blake3 h = newHasher();
    if (mode == FileRead.MMAP && length > 0) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, position, length, arena);
        if (length > 2L * CHUNK_BYTES && NativeBlake3.available()) {
          // A long mapped range, as b3sum hashes one: on every core the process may use.
          return NativeBlake3.hashInParallel(
              mapped, Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS));
        }
        h.update(mapped);
      }
    } else {
      ByteBuffer buf = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
      long done = 0;
      while (done < length) {
        buf.clear().limit((int) Math.min(buf.capacity(), length - done));
        int n = ch.read(buf, position + done);
        if (n < 0) {
          throw new IOException("file ended " + (length - done) + " bytes early");
        }
        buf.flip();
        h.update(buf);
        done += n;
      }
    }
    return h.finish();
  }

  /**
   * Hashes a long range read by positional reads, with the next chunk read on another thread while
   * this one hashes: reading without a mapping costs a copy, and overlapping it keeps verification
   * near mapped speed. Two buffers travel between the threads; the reader is never interrupted,
   * since interrupting a read would close the (shared) channel.
   */
  private static Blake3Hash readingAhead(FileChannel ch, long position, long length)
      throws IOException {
    BlockingQueue<ByteBuffer> empty = new ArrayBlockingQueue<>(2);
    BlockingQueue<Object> full = new ArrayBlockingQueue<>(3);
    empty.add(ByteBuffer.allocateDirect(CHUNK_BYTES));
    empty.add(ByteBuffer.allocateDirect(CHUNK_BYTES));
    AtomicBoolean abandoned = new AtomicBoolean();
    Thread.ofVirtual()
        .name("blake3-read-ahead")
        .start(() -> {
          try {
            long done = 0;
            while (done < length) {
              ByteBuffer buf = empty.take();
              if (abandoned.get()) {
                return;
              }
              buf.clear().limit((int) Math.min(buf.capacity(), length - done));
              while (buf.hasRemaining()) {
                if (ch.read(buf, position + done + buf.position()) < 0) {
                  throw new IOException(
                      "file ended " + (length - done - buf.position()) + " bytes early");
                }
              }
              done += buf.flip().remaining();
              full.put(buf);
            }
          } catch (IOException e) {
            full.add(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Blake3 h = newHasher();
    try {
      for (long hashed = 0; hashed < length; ) {
        Object item = full.take();
        if (item instanceof IOException e) {
          throw new IOException(e.getMessage(), e);
        }
        ByteBuffer buf = (ByteBuffer) item;
        hashed += buf.remaining();
        h.update(buf);
        empty.put(buf);
      }
      return h.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("hashing was interrupted");
    } finally {
      abandoned.set(true);
      empty.offer(ByteBuffer.allocate(0)); // wakes a reader waiting for a buffer, so it ends
    }
  }

  public final void update(byte[] data) {
    update(data, 0, data.length);
  }

  public abstract void update(byte[] data, int offset, int length);

  /** Hashes the buffer's remaining bytes and advances its position to its limit. */
  public abstract void update(ByteBuffer buffer);

  /** Hashes every byte of the segment (heap or native). */
  public abstract void update(MemorySegment segment);

  /** The digest of everything hashed so far; the hasher must not be used afterwards. */
  public abstract Blake3Hash finish();
}
