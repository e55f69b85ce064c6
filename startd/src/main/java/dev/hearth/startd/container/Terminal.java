package dev.hearth.startd.container;

/** How an attached command talks to its caller. */
public enum Terminal {
  /** stdin, stdout and stderr are the process's pipes. */
  PIPES,
  /**
   * The command runs on a pseudo-terminal inside the container (for interactive shells); its output
   * arrives on stdout with terminal line endings.
   */
  PTY
}
