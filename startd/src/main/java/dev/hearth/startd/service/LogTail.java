package dev.hearth.startd.service;

import dev.hearth.startd.system.LogStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what a container's runtime writes to its output file into the service's log, line by line,
 * stamped as it is read. Keeps the last lines in memory for error reports. A line longer than
 * {@link #MAX_LINE} bytes is cut: a package must not make us buffer without bound.
 *
 * <p>It reads when {@link FileChanges} says the file was written, and every {@link #SAFETY_POLL}
 * besides, in case an event was lost; without a watch it polls every {@link #POLL}.
 */
final class LogTail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogTail.class);
  static final int MAX_LINE = 16 * 1024;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration SAFETY_POLL = Duration.ofSeconds(2);
  private static final int KEPT = 40;

  private final Path file;
  private final LogStore store;
  private final Thread thread;
  private final Semaphore written = new Semaphore(0);
  private final @Nullable AutoCloseable watch;
  private final Deque<String> recent = new ArrayDeque<>(); // guarded by itself
  private volatile boolean closed;
  private long position;
  // The bytes of the line being read, so a character split between two reads is decoded whole.
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  LogTail(Path file, LogStore store, String name, @Nullable FileChanges changes) {
    this.file = file;
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
    while (!closed) {
      drain();
      try {
        written.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        written.drainPermits(); // writes that came meanwhile are read by the one drain
      } catch (InterruptedException e) {
        break;
      }
    }
    drain();
  }

  private synchronized void drain() {
    if (!Files.exists(file)) {
      return;
    }
    try (var in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length < position) {
        position = 0; // truncated or replaced
      }
      byte[] buffer = new byte[64 * 1024];
      in.seek(position);
      int n;
      while ((n = in.read(buffer)) > 0) {
        position += n;
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            keep(buffer, start, i);
            emit();
            start = i + 1;
          }
        }
        keep(buffer, start, n);
      }
    } catch (IOException e) {
      // the file goes away with the container; what was read is kept
    }
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
        log.warn("cannot stop watching {}: {}", file, e.toString());
      }
    }
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
    if (partial.size() > 0) {
      emit();
    }
  }
}
