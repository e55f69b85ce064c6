package dev.hearth.startd.runtime;

import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * Bytes one package may have the host hold for it at once: effect requests being read or not yet
 * answered. Taking more than is left waits (the reader stops reading, so the package's writes back
 * up into its socket), which bounds the memory a package can make the daemon use whatever it sends.
 */
final class ByteBudget {
  private final int capacity;
  private final Semaphore left;

  ByteBudget(int capacity) {
    this.capacity = capacity;
    this.left = new Semaphore(capacity);
  }

  /** No limit: for a peer that is read one line at a time anyway. */
  static ByteBudget unbounded() {
    return new ByteBudget(Integer.MAX_VALUE);
  }

  /** Takes {@code bytes}, waiting until they are free. */
  void acquire(long bytes) throws IOException, InterruptedException {
    if (bytes <= 0 || capacity == Integer.MAX_VALUE) {
      return;
    }
    if (bytes > capacity) {
      throw new IOException("a request of " + bytes + " bytes exceeds the budget of " + capacity);
    }
    left.acquire((int) bytes);
  }

  void release(long bytes) {
    if (bytes > 0 && capacity != Integer.MAX_VALUE) {
      left.release((int) bytes);
    }
  }

  /** Bytes taken now. */
  int used() {
    return capacity == Integer.MAX_VALUE ? 0 : capacity - left.availablePermits();
  }
}
