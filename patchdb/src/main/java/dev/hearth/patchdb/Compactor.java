package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonNull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes snapshots in the background and then deletes what they make redundant. Owns one virtual
 * thread. A snapshot at revision N is written only after the journal has rolled to a segment
 * starting at N + 1, so every segment starting at or before N holds nothing newer than N and can go
 * once the snapshot is durable. If writing fails, out of memory included, nothing is deleted, the
 * thread goes on, and the next roll tries again.
 */
final class Compactor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Compactor.class);

  private record Job(long revision, Json document) {}

  /** Tells the thread to stop; handed over like a job, so it waits for the one in progress. */
  private static final Job STOP = new Job(-1, JsonNull.INSTANCE);

  private final Path dir;
  private final JsonCodec codec;
  private final SynchronousQueue<Job> handoff = new SynchronousQueue<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicLong lastSnapshotBytes;
  private final AtomicLong compactions = new AtomicLong();
  private final Thread thread;

  Compactor(Path dir, JsonCodec codec, long lastSnapshotBytes) {
    this.dir = dir;
    this.codec = codec;
    this.lastSnapshotBytes = new AtomicLong(lastSnapshotBytes);
    this.thread = Thread.ofVirtual().name("patchdb-compactor").start(this::run);
  }

  /** Whether a new job would be taken now. */
  boolean idle() {
    return !busy.get();
  }

  /**
   * Hands over a snapshot job if the compactor is idle.
   *
   * @return false if it is still busy with the previous one
   */
  boolean offer(long revision, Json document) {
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      // The thread is idle, so it takes the job at once; if it has died, do not wait for it.
      if (handoff.offer(new Job(revision, document), 1, java.util.concurrent.TimeUnit.SECONDS)) {
        return true;
      }
      log.error("patchdb {}: the compactor is not running; no snapshot at {}", dir, revision);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    busy.set(false);
    return false;
  }

  long lastSnapshotBytes() {
    return lastSnapshotBytes.get();
  }

  long compactions() {
    return compactions.get();
  }

  private void run() {
    while (true) {
      Job job;
      try {
        job = handoff.take();
      } catch (InterruptedException e) {
        return;
      }
      if (job == STOP) {
        return;
      }
      try {
        compact(job);
      } catch (IOException | RuntimeException | VirtualMachineError e) {
        failed(job, e);
      } finally {
        busy.set(false);
      }
    }
  }

  /**
   * The journal still holds everything, so a failed snapshot loses nothing: the next roll tries
   * again. Out of memory, even the warning may fail; the thread must outlive it all the same, or
   * every later roll would wait on it in vain.
   */
  private void failed(Job job, Throwable e) {
    try {
      log.warn(
          "patchdb {}: snapshot at revision {} failed; the journal keeps every revision and the"
              + " next roll tries again",
          dir,
          job.revision(),
          e);
    } catch (RuntimeException | VirtualMachineError logFailed) {
      // nothing more can be said now
    }
  }

  private void compact(Job job) throws IOException {
    long bytes = SnapshotFile.write(dir, job.revision(), job.document(), codec);
    lastSnapshotBytes.set(bytes);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        OptionalLong segment = DiskFormat.segmentFirst(name);
        OptionalLong snapshot = DiskFormat.snapshotRevision(name);
        if ((segment.isPresent() && segment.getAsLong() <= job.revision())
            || (snapshot.isPresent() && snapshot.getAsLong() < job.revision())) {
          Files.deleteIfExists(file);
        }
      }
    }
    Fsync.directory(dir);
    compactions.incrementAndGet();
    log.debug("patchdb {}: snapshot at revision {} ({} bytes)", dir, job.revision(), bytes);
  }

  /** Lets a running snapshot finish, then stops. No {@link #offer} may follow. */
  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive() && !handoff.offer(STOP, 1, java.util.concurrent.TimeUnit.MINUTES)) {
      thread.interrupt(); // a snapshot of a huge document still running: stop waiting for it
    }
    thread.join();
  }
}
