package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.JsonPointer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A stream of the changes to the value at one pointer: first {@link #dump()}, the value and the
 * revision it reflects, then through {@link #next()} every later revision that touches the value,
 * re-rooted at the pointer, in order, each once. Revisions that do not touch the value are skipped,
 * so ids may jump.
 *
 * <p>The buffer is bounded. A subscriber that falls that many revisions behind is closed rather
 * than allowed to grow memory or skip a revision; it can subscribe again for a fresh dump. After a
 * close, {@link #next()} still returns what was buffered, then throws.
 *
 * <p>One consumer thread; {@link #close()} may be called from any thread.
 */
public final class Subscription implements AutoCloseable {
  /** Why a subscription ended. */
  public enum Ending {
    /** Its owner closed it. */
    CLOSED,
    /** The database was closed. */
    DATABASE_CLOSED,
    /** It fell further behind than its buffer allows. */
    FELL_BEHIND
  }

  private final JsonPointer pointer;
  private final Dump dump;
  private final int capacity;
  private final Consumer<Subscription> onClose;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<Revision> buffer = new ArrayDeque<>(); // guarded by lock
  private @Nullable Ending ending; // guarded by lock
  private boolean woken; // guarded by lock: a wake() not yet consumed by poll()

  Subscription(JsonPointer pointer, Dump dump, int capacity, Consumer<Subscription> onClose) {
    this.pointer = pointer;
    this.dump = dump;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  /** The pointer, relative to the root the subscription was made from. */
  public JsonPointer pointer() {
    return pointer;
  }

  /** The value when the subscription started, with its revision. */
  public Dump dump() {
    return dump;
  }

  /**
   * The next revision, waiting as long as it takes.
   *
   * @throws StartException (DATABASE) once the subscription has ended and its buffer is drained;
   *     the message says why
   */
  public Revision next() throws InterruptedException {
    lock.lock();
    try {
      while (buffer.isEmpty()) {
        throwIfEnded();
        ready.await();
      }
      return buffer.poll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next revision, or empty if none arrives within {@code timeout} (or after a {@link
   * #wake()}).
   *
   * @throws StartException (DATABASE) once the subscription has ended and its buffer is drained
   */
  public Optional<Revision> poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (buffer.isEmpty()) {
        throwIfEnded();
        if (woken) {
          woken = false;
          return Optional.empty();
        }
        if (nanos <= 0) {
          return Optional.empty();
        }
        nanos = ready.awaitNanos(nanos);
      }
      return Optional.of(buffer.poll());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the current or next {@link #poll} return empty once its buffer is empty, without waiting
   * out its timeout: a consumer that also waits for something else (such as a request to send a
   * keep-alive) can be woken for it. Revisions already buffered are returned first.
   */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Why it ended, if it has. */
  public Optional<Ending> ending() {
    lock.lock();
    try {
      return Optional.ofNullable(ending);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    end(Ending.CLOSED);
  }

  /** Called by the publisher, in revision order. Never blocks. */
  void deliver(Revision revision) {
    boolean overflow = false;
    lock.lock();
    try {
      if (ending != null) {
        return;
      }
      if (buffer.size() >= capacity) {
        overflow = true;
      } else {
        buffer.add(revision);
        ready.signal();
      }
    } finally {
      lock.unlock();
    }
    if (overflow) {
      end(Ending.FELL_BEHIND);
    }
  }

  void end(Ending why) {
    lock.lock();
    try {
      if (ending != null) {
        return;
      }
      ending = why;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    onClose.accept(this);
  }

  private void throwIfEnded() {
    if (ending != null) {
      String why =
          switch (ending) {
            case CLOSED -> "it was closed";
            case DATABASE_CLOSED -> "the database was closed";
            case FELL_BEHIND ->
                "its reader fell more than " + capacity + " revisions behind; subscribe again";
          };
      throw new StartException(ErrorKind.DATABASE, "subscription to " + pointer + " ended: " + why);
    }
  }

  @Override
  public String toString() {
    return "Subscription[" + pointer + "]";
  }
}
