package dev.hearth.startd.container;

import java.io.Serial;

/**
 * A Linux call failed. Internal to this package: the facade translates it into a {@code
 * StartException} that says what it was doing, keeping this as the cause.
 */
final class SyscallException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final int errno;

  SyscallException(String what, int errno, String description) {
    super(what + ": " + description + " (errno " + errno + ")");
    this.errno = errno;
  }

  int errno() {
    return errno;
  }
}
