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

  public synchronized void fail(String message) {
    failure = message;
    notifyAll();
  }

  /** A socket job that follows this progress to its end. */
  public SocketJob follower(ObjectMapper mapper) {
    return socket -> {
      FullProgress sent = null;
      while (socket.isOpen()) {
        FullProgress now;
        String failed;
        synchronized (this) {
          while (progress == sent && failure == null) {
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
        if (now.isComplete()) {
          return; // closes with "complete"
        }
      }
    };
  }
}
