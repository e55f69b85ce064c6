package dev.hearth.startd.service;

import dev.hearth.error.StartException;
import dev.hearth.startd.system.LogStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what a container's runtime writes to its output file into the service's log, line by line,
 * stamped as it is read. Keeps the last lines in memory for error reports.
 *
 * <p>The file lies in a directory the container owns, so the container decides what is at its name:
 * the tail never opens it by path, only through {@link Source} (a regular file, never through a
 * symlink, never a FIFO; issue 10), and keeps that one descriptor. What it reads is bounded: a line
 * longer than {@link #MAX_LINE} bytes is cut, and each read takes at most {@link #READ_BUDGET}
 * bytes, then waits {@link #BUDGET_PAUSE} before the next, so a package writing without pause costs
 * the host a bounded share of a core.
 *
 * <p>It reads when {@link FileChanges} says the file was written, and every {@link #SAFETY_POLL}
 * besides, in case an event was lost; without a watch it polls every {@link #POLL}.
 */
final class LogTail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogTail.class);
  static final int MAX_LINE = 16 * 1024;
  static final int READ_BUDGET = 256 * 1024;
  static final Duration BUDGET_PAUSE = Duration.ofMillis(100); // at most ~2.5 MiB/s per service
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration SAFETY_POLL = Duration.ofSeconds(2);
  private static final int KEPT = 40;

  /** Opens the log safely: empty while it does not exist, an exception if it is not a file. */
  @FunctionalInterface
  interface Source {
    Optional<FileChannel> open();
  }

  private final Source source;
  private final String name;
  private final LogStore store;
  private final Thread thread;
  private final Semaphore written = new Semaphore(0);
  private final @Nullable AutoCloseable watch;
  private final Deque<String> recent = new ArrayDeque<>(); // guarded by itself
  private volatile boolean closed;
  private @Nullable FileChannel channel; // guarded by this: the one descriptor, once open
  private @Nullable String refused; // guarded by this: why the last open was refused
  private long position; // guarded by this
  // The bytes of the line being read, so a character split between two reads is decoded whole.
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // guarded by this
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024); // guarded by this

  /**
   * @param file the path to watch for writes (watching follows nothing)
   */
  LogTail(Path file, Source source, LogStore store, String name, @Nullable FileChanges changes) {
    this.source = source;
    this.name = name;
    this.store = store;
    this.watch = changes == null ? null : watch(changes, file);
    this.thread = Thread.ofVirtual().name("log-tail-" + name).start(this::run);
  }

  private @Nullable AutoCloseable watch(FileChanges changes, Path file) {
    try {
      return changes.watch(file, written::release);
    } catch (IOException e) {
      log.warn("cannot watch {}, polling it instead: {}", file, e.toString());
      return null;
    }
  }

  private void run() {
    Duration wait = watch == null ? POLL : SAFETY_POLL;
    try {
      while (!closed) {
        if (drain()) {
          Thread.sleep(BUDGET_PAUSE); // more is there: read it, but not all at once
          continue;
        }
        written.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        written.drainPermits(); // writes that came meanwhile are read by the one drain
      }
    } catch (InterruptedException e) {
      // closing
    }
  }

  /**
   * Reads what was written since the last read, up to {@link #READ_BUDGET} bytes.
   *
   * @return whether more is waiting
   */
  private synchronized boolean drain() {
    FileChannel in = channel();
    if (in == null) {
      return false;
    }
    try {
      if (in.size() < position) {
        position = 0; // truncated
      }
      position += readSome(in, position, buffer, READ_BUDGET, this::split);
      return in.size() > position;
    } catch (IOException e) {
      return false; // the file goes with the container; what was read is kept
    }
  }

  /** What is handed each chunk read: {@code bytes[0, length)}. */
  @FunctionalInterface
  interface Chunks {
    void take(byte[] bytes, int length);
  }

  /**
   * Reads {@code in} from {@code from}, at most {@code budget} bytes, through {@code buffer},
   * handing each chunk to {@code chunks}.
   *
   * @return the bytes read: less than the budget only at the end of what was written
   */
  static long readSome(FileChannel in, long from, ByteBuffer buffer, int budget, Chunks chunks)
      throws IOException {
    long read = 0;
    while (read < budget) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), budget - read));
      int n = in.read(buffer, from + read);
      if (n <= 0) {
        break;
      }
      read += n;
      chunks.take(buffer.array(), n);
    }
    return read;
  }

  /** Cuts a chunk into lines, the last one kept open for the next chunk. */
  private void split(byte[] bytes, int length) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        keep(bytes, start, i);
        emit();
        start = i + 1;
      }
    }
    keep(bytes, start, length);
  }

  /** The log's descriptor, opened once it exists; null until then, or while it is refused. */
  private @Nullable FileChannel channel() {
    if (channel == null && !closed) {
      try {
        channel = source.open().orElse(null);
      } catch (StartException e) {
        String why = String.valueOf(e.getMessage());
        if (!why.equals(refused)) {
          refused = why;
          log.warn("service {}: its runtime log is not read: {}", name, why);
        }
      }
    }
    return channel;
  }

  /** Adds {@code bytes[from, to)} to the line being read, up to {@link #MAX_LINE} bytes. */
  private void keep(byte[] bytes, int from, int to) {
    int room = MAX_LINE - partial.size();
    partial.write(bytes, from, Math.max(0, Math.min(to - from, room)));
  }

  private void emit() {
    String line = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    store.append(Instant.now(), "INFO", line);
    synchronized (recent) {
      if (recent.size() == KEPT) {
        recent.removeFirst();
      }
      recent.addLast(line);
    }
  }

  /** The last lines read, oldest first. */
  List<String> recent() {
    drain();
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        log.warn("cannot stop watching the log of {}: {}", name, e.toString());
      }
    }
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      drain();
      if (partial.size() > 0) {
        emit();
      }
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // read-only: nothing is lost
        }
        channel = null;
      }
    }
  }
}
