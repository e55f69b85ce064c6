package dev.hearth.startd.service;

/**
 * The points of an install, update or uninstall after which a crash leaves a distinct state on disk
 * and in the database. {@link Recovery} must bring each back to a valid one; the transition tests
 * crash at every one of them ({@link Hooks#reached}).
 */
enum Checkpoint {
  INSTALL_BEGUN,
  INSTALL_STORED,
  INSTALL_INITIALIZED,
  INSTALL_MARKED,
  UPDATE_BEGUN,
  UPDATE_SNAPSHOT_TAKEN,
  UPDATE_OLD_EXITED,
  UPDATE_INITIALIZED,
  UPDATE_MARKED,
  UNINSTALL_BEGUN,
  UNINSTALL_EXITED;

  /** Observes the checkpoints; the daemon's does nothing. */
  interface Hooks {
    Hooks NONE = c -> {};

    void reached(Checkpoint c);
  }
}
