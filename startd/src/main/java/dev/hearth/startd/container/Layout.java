package dev.hearth.startd.container;

/**
 * Where things are inside every service container (container-runtime.md §3.1). The runtime image
 * provides these directories; we create any that are missing.
 */
final class Layout {
  static final ContainerPath RPC = ContainerPath.of("/media/startos/rpc");
  static final ContainerPath LOGS = ContainerPath.of("/media/startos/logs");
  static final ContainerPath SUBCONTAINERS = ContainerPath.of("/media/startos/subcontainers");

  /** The runtime image's init; it execs node with its output appended to the logs dir. */
  static final ContainerPath INIT = ContainerPath.of("/usr/lib/startos/init/boot");

  static final String RUNTIME_LOG = "runtime.log";

  private Layout() {}
}
