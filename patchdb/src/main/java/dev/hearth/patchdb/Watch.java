package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for the value at one path to change, for reconcilers that want the latest state rather than
 * every step: several revisions that land while the owner is busy are seen as one change. A missing
 * value reads as JSON null.
 *
 * <p>One waiting thread at a time; {@link #close()} may be called from any thread.
 */
public final class Watch implements AutoCloseable {
  private final JsonPointer path;
  private final Supplier<Snapshot> current;
  private final Consumer<Watch> onClose;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long signals; // guarded by lock: bumped whenever a revision may have changed the value
  private boolean closed; // guarded by lock
  private boolean woken; // guarded by lock: next() returns at once, changed or not
  private Json last; // guarded by lock: the value the owner saw last

  Watch(JsonPointer path, Supplier<Snapshot> current, Consumer<Watch> onClose) {
    this.path = path;
    this.current = current;
    this.onClose = onClose;
    this.last = value();
  }

  public JsonPointer path() {
    return path;
  }

  /** The value now. */
  public Json value() {
    return current.get().root().atOrNull(path);
  }

  /**
   * Waits until the value differs from the one this watch last returned (or had when it was made),
   * or {@link #wake()} is called, and returns it.
   *
   * @return empty if it did not change within {@code timeout}
   * @throws StartException (DATABASE) if the watch or the database is closed
   */
  public Optional<Json> next(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      Json seen = last;
      return waitFor(now -> woken || !now.equals(seen), timeout);
    } finally {
      woken = false;
      lock.unlock();
    }
  }

  /**
   * Waits until the value satisfies {@code condition} and returns it (at once if it already does).
   *
   * @throws StartException (TIMEOUT) if it does not within {@code timeout}; (DATABASE) if the watch
   *     or the database is closed
   */
  public Json await(Predicate<Json> condition, Duration timeout) throws InterruptedException {
    return waitFor(condition, timeout)
        .orElseThrow(() ->
            new StartException(
                ErrorKind.TIMEOUT,
                "the value at " + path + " did not reach the expected state within " + timeout));
  }

  /** Re-reads the value after every signal until it satisfies {@code condition} or time is up. */
  private Optional<Json> waitFor(Predicate<Json> condition, Duration timeout)
      throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        throwIfClosed();
        long seen = signals;
        Json now = value();
        if (condition.test(now)) {
          last = now;
          return Optional.of(now);
        }
        while (signals == seen && !closed) {
          if (nanos <= 0) {
            return Optional.empty();
          }
          nanos = changed.awaitNanos(nanos);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Called by the publisher after a revision that may touch the path. Never blocks for long. */
  void signal() {
    lock.lock();
    try {
      signals++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the waiting (or the next) {@link #next} return the value even if it did not change: for
   * an owner whose reason to look again is not in the database.
   */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      signals++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    onClose.accept(this);
  }

  private void throwIfClosed() {
    if (closed) {
      throw new StartException(ErrorKind.DATABASE, "the watch on " + path + " is closed");
    }
  }
}
