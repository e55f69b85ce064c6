package dev.hearth.startd.container;

/**
 * An open file descriptor that we own, closed exactly once by {@link #close}. The descriptors this
 * package opens are all close-on-exec, so the {@code lxc-*} and {@code mount} children never
 * inherit one.
 */
final class Fd implements AutoCloseable {
  private final Syscalls sys;
  private final int value;
  private boolean closed; // guarded by this

  Fd(Syscalls sys, int value) {
    this.sys = sys;
    this.value = value;
  }

  int value() {
    return value;
  }

  /** The path through which the kernel reaches this descriptor's file without resolving again. */
  String procPath() {
    return "/proc/self/fd/" + value;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      sys.close(value);
    }
  }
}
