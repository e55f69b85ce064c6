package dev.hearth.startd.continuation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.FullProgress;
import org.jspecify.annotations.Nullable;

/**
 * The progress of one job, observable by any number of progress sockets: each sends every state it
 * sees, then closes with {@code complete} when the job is done, or with 1011 and the error when it
 * fails (rpc.md §3.4).
 *
 * <p>Thread-safe.
 */
public final class ProgressTracker {
  static final java.time.Duration QUIET_RESEND = java.time.Duration.ofMinutes(1);

  private FullProgress progress; // guarded by this
  private @Nullable String failure; // guarded by this

  public ProgressTracker(FullProgress initial) {
    this.progress = initial;
  }

  public synchronized FullProgress current() {
    return progress;
  }

  public synchronized void update(FullProgress next) {
    progress = next;
    notifyAll();
  }

  /** Why it failed, once it did. */
  public synchronized java.util.Optional<String> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  public synchronized void fail(String message) {
    failure = message;
    notifyAll();
  }

  /** A socket job that follows this progress to its end. */
  public SocketJob follower(ObjectMapper mapper) {
    return socket -> {
      FullProgress sent = null;
      long sentAt = System.nanoTime();
      while (socket.isOpen()) {
        FullProgress now;
        String failed;
        synchronized (this) {
          // Unchanged progress is sent again each minute, so a long quiet phase never lets the
          // socket's idle timeout end it.
          while (progress == sent
              && failure == null
              && System.nanoTime() - sentAt < QUIET_RESEND.toNanos()) {
            wait(10_000);
            if (!socket.isOpen()) {
              return;
            }
          }
          now = progress;
          failed = failure;
        }
        if (failed != null) {
          socket.close(1011, failed.length() > 120 ? failed.substring(0, 120) : failed);
          return;
        }
        socket.send(mapper.writeValueAsString(now));
        sent = now;
        sentAt = System.nanoTime();
        if (now.isComplete()) {
          return; // closes with "complete"
        }
      }
    };
  }
}
