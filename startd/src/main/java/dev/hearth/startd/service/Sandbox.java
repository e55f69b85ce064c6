package dev.hearth.startd.service;

import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.container.TerminalSize;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A running service container, as the service subsystem needs it. The real one is an LXC container
 * ({@link LxcSandboxes}); the interface keeps lifecycle code independent of how containers are
 * made.
 */
interface Sandbox extends AutoCloseable {
  /** The container's name (a fresh one per load). */
  String name();

  /** Its address on the container bridge. */
  Inet4Address ip();

  /** The host directory bound at {@code /media/startos/rpc}. */
  Path rpcDir();

  /** The host file the runtime's output goes to. */
  Path logFile();

  /** The uid and gid the container's root has on the host. */
  int rootUid();

  /**
   * Opens the runtime's log (the file {@link #logFile()} names) for reading, only if it is a
   * regular file: the container owns its directory and may plant a symlink or a FIFO there instead.
   *
   * @return empty while it does not exist
   * @throws dev.hearth.error.StartException if something else is there
   */
  java.util.Optional<java.nio.channels.FileChannel> openLog();

  /** Mounts a writable view of an image at {@code /media/startos/subcontainers/<guid>}. */
  String createSubcontainer(String imageId, String guid, String hostname);

  void destroySubcontainer(String guid);

  /**
   * Binds {@code subpath} of a host directory whose files belong to the container of {@code owner}
   * at a path inside this container (the {@code mount} effect). The subpath is resolved inside the
   * directory, never following links out of it. The owner's ids show here as the same container
   * ids, except that each {@code idmap} entry {@code {fromId, toId, range}} shows the owner's id
   * {@code fromId} as {@code toId}.
   */
  void bindInto(
      Path dir,
      String subpath,
      ContainerPath at,
      boolean readOnly,
      ContainerIds owner,
      List<int[]> idmap);

  /**
   * A process running a command in the container, as its root: on pipes, or on a terminal of {@code
   * terminal}'s size.
   */
  ProcessBuilder attach(
      List<String> command, Map<String, String> env, @Nullable TerminalSize terminal);

  /** Resizes the terminal of a process {@link #attach}ed with one. */
  void resize(Process attached, TerminalSize size);

  /** Memory in use and its limit, in bytes. */
  long[] memory();

  boolean isRunning();

  /** Stops the container and removes every trace of it. Idempotent. */
  @Override
  void close();
}
