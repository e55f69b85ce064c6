package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running service container, made by {@link Containers#create}. It is unprivileged: container
 * root is host uid/gid {@link #ids()}{@code .base()}, a range of its own. Its runtime talks to the
 * host through {@link #rpcDir()}, and its output goes to {@link #logFile()}, which the host reads
 * only through {@link #openLog()}.
 *
 * <p>Thread-safe. Every method blocks the calling thread (call from virtual threads): mounts take a
 * few milliseconds, {@link #destroySubcontainerFs} and {@link #attach}ed commands tens, {@link
 * #close} up to {@link #STOP_GRACE} plus a little. {@link #close} is idempotent; after it every
 * other method throws, except the queries.
 */
public final class ServiceContainer implements AutoCloseable {
  /** How long {@link #close} lets the init handle SIGTERM before killing it. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(ServiceContainer.class);

  private final Host host;
  private final String name;
  private final ContainerIds ids;
  private final Inet4Address ip;
  private final ContainerDirs dirs;
  private final Fd logsDir; // O_PATH of the logs directory, a host path of ours
  private final long initPid;
  private final Optional<Instant> initStart;
  private final HotMounts hot;
  private final Consumer<ServiceContainer> onClose;
  private boolean closed; // guarded by this

  private ServiceContainer(
      Host host,
      String name,
      ContainerIds ids,
      Inet4Address ip,
      ContainerDirs dirs,
      Fd logsDir,
      long initPid,
      HotMounts hot,
      Consumer<ServiceContainer> onClose) {
    this.host = host;
    this.name = name;
    this.ids = ids;
    this.ip = ip;
    this.dirs = dirs;
    this.logsDir = logsDir;
    this.initPid = initPid;
    this.initStart = ProcessHandle.of(initPid).flatMap(p -> p.info().startInstant());
    this.hot = hot;
    this.onClose = onClose;
  }

  /**
   * Builds and starts the container; on any failure undoes everything it did and throws.
   *
   * @param onClose told once the container is gone (the caller frees its name and address)
   */
  static ServiceContainer create(
      Host host, ContainerSpec spec, Inet4Address ip, Consumer<ServiceContainer> onClose) {
    ContainerDirs dirs = ContainerDirs.of(host.settings(), spec.name());
    if (Files.exists(dirs.state()) || Files.exists(dirs.mounts())) {
      throw new StartException(
          ErrorKind.DUPLICATE, "container " + spec.name() + " exists already: " + dirs.state());
    }
    boolean started = false;
    Fd logsDir = null;
    try {
      ContainerIds ids = spec.ids();
      Ownership.containerPassage(dirs.state(), ids);
      Ownership.containerPassage(dirs.mounts(), ids);
      Ownership.containerDir(dirs.rpc(), ids);
      Ownership.containerDir(dirs.logs(), ids);
      logsDir = host.inRoot().openRoot(dirs.logs());
      Rootfs.mount(host, dirs, ids);
      SpecMounts.Prepared prepared = SpecMounts.prepare(host, dirs, ids, spec.mounts());
      List<LxcConfig.Entry> entries = new ArrayList<>();
      entries.add(new LxcConfig.Entry(dirs.rpc(), Layout.RPC, Access.READ_WRITE));
      entries.add(new LxcConfig.Entry(dirs.logs(), Layout.LOGS, Access.READ_WRITE));
      entries.addAll(prepared.entries());
      List<ContainerPath> mountPoints =
          new ArrayList<>(entries.stream().map(e -> e.target()).toList());
      mountPoints.add(Layout.SUBCONTAINERS);
      Rootfs.populate(host, dirs, ids, spec.hostname(), prepared.files(), mountPoints);
      Limits limits = spec.limits() != null ? spec.limits() : host.settings().defaultLimits();
      LxcConfig config =
          new LxcConfig(
              spec.name(),
              spec.hostname(),
              ids,
              dirs.rootfs(),
              dirs.lxcLog(),
              dirs.seccomp(),
              limits,
              host.net().lxcNetwork(),
              host.net().veth(spec.name()),
              ip,
              host.net().subnet(),
              entries);
      Files.writeString(dirs.seccomp(), LxcConfig.SECCOMP);
      Files.writeString(dirs.config(), config.render());
      started = true;
      Lxc.Info info = host.lxc().start(spec.name(), dirs.lxcLog(), dirs.monitorPid());
      if (!info.running()) {
        throw new StartException(
            ErrorKind.LXC,
            "container "
                + spec.name()
                + " stopped right after starting; end of "
                + dirs.lxcLog()
                + ":\n"
                + Lxc.tail(dirs.lxcLog()));
      }
      HotMounts hot = new HotMounts(host, dirs, spec.name(), ids, prepared.images());
      return new ServiceContainer(
          host, spec.name(), ids, ip, dirs, logsDir, info.pid(), hot, onClose);
    } catch (IOException | RuntimeException e) {
      if (logsDir != null) {
        logsDir.close();
      }
      try {
        teardown(host, spec.name(), dirs, started, null);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof StartException s
          ? s
          : new StartException(
              ErrorKind.LXC, "cannot create container " + spec.name() + ": " + e, e);
    }
  }

  public String name() {
    return name;
  }

  /** Its address on the bridge. */
  public Inet4Address ip() {
    return ip;
  }

  /** The host ids its ids stand for. */
  public ContainerIds ids() {
    return ids;
  }

  /**
   * The host directory the container sees as {@code /media/startos/rpc}, owned by container root:
   * the runtime listens on {@code service.sock} there, the host on {@code host.sock} (which must be
   * made accessible to container root, {@link #ids()}{@code .root()}: chown it).
   */
  public Path rpcDir() {
    return dirs.rpc();
  }

  /**
   * The runtime's log on the host: the container's {@code /media/startos/logs/runtime.log}, which
   * the runtime image's init appends node's output to. It is deleted by {@link #close}. The
   * container owns that directory and may put anything at this path: read it only through {@link
   * #openLog()}. Watching the path for changes is safe.
   */
  public Path logFile() {
    return dirs.logs().resolve(Layout.RUNTIME_LOG);
  }

  /**
   * Opens the runtime's log for reading, if it is there and a regular file: never through a symlink
   * the container planted (a link to a host file would put that file's lines in the service's log),
   * never blocking on a FIFO. The channel keeps reading that file whatever later happens to the
   * name.
   *
   * @return empty while there is no log yet
   * @throws StartException ({@link ErrorKind#FILESYSTEM}) naming what is there instead of a file
   */
  public synchronized Optional<java.nio.channels.FileChannel> openLog() {
    // Under the lock, so close() cannot free the directory's descriptor (and its number be reused)
    // while it is being used.
    if (closed) {
      return Optional.empty();
    }
    return host.inRoot().openRegular(logsDir, Layout.RUNTIME_LOG);
  }

  /** The host pid of the container's init. */
  public long initPid() {
    return initPid;
  }

  /** Whether its init still runs (a crashed runtime ends the container). */
  public boolean isRunning() {
    Optional<ProcessHandle> p = ProcessHandle.of(initPid);
    return p.isPresent() && p.get().isAlive() && p.get().info().startInstant().equals(initStart);
  }

  /**
   * Mounts a subcontainer's root file system: an overlay whose lower layer is the image this
   * container has at {@code imageAt}, with a fresh upper layer owned by container root holding
   * {@code etc/hostname} and {@code etc/hosts}, at {@code /media/startos/subcontainers/<guid>}
   * (container-runtime.md §2.7 {@code subcontainer.create-fs}).
   *
   * @return the path inside the container
   * @throws StartException ({@link ErrorKind#NOT_FOUND}) for an image this container does not have,
   *     ({@link ErrorKind#DUPLICATE}) for a guid in use, ({@link ErrorKind#INVALID_ID}) for a guid
   *     that is not {@code [A-Za-z0-9_-]{1,64}}
   */
  public ContainerPath subcontainerFs(ContainerPath imageAt, String guid, String hostname) {
    return hot.subcontainerFs(imageAt, guid, hostname);
  }

  /**
   * Ends a subcontainer: SIGKILLs its processes (its PID 1 ends its PID namespace), unmounts it
   * with whatever the runtime mounted on it, and deletes its layers ({@code
   * subcontainer.destroy-fs}). Runs one {@code lxc-attach}, so it takes tens of milliseconds.
   *
   * @return false if there is no such subcontainer, which the spec treats as a warning
   */
  public boolean destroySubcontainerFs(String guid) {
    return hot.destroySubcontainerFs(guid);
  }

  /**
   * Binds the host directory {@code source} at {@code at} in the running container (the {@code
   * mount} effect), replacing what this method mounted there before. File ownership is shown as
   * stored, except as {@code idmap} says (see {@link IdMap}); with entries the bind is id-mapped.
   * The target is resolved inside the container's root: a symlink the container planted can only
   * lead elsewhere inside it.
   */
  public void bindInto(Path source, ContainerPath at, Access access, List<IdMap> idmap) {
    hot.bindInto(source, "", at, access, List.copyOf(idmap));
  }

  /**
   * Like {@link #bindInto(Path, ContainerPath, Access, List)}, of {@code subpath} below the trusted
   * directory {@code dir}. Use it whenever part of the source path comes from someone else's data,
   * as the {@code mount} effect's {@code subpath} inside another package's volume does: that
   * package controls the links there, so the subpath is resolved strictly beneath {@code dir} and a
   * link out of it is refused rather than followed to the host.
   *
   * @param subpath relative, without {@code ..}; empty for {@code dir} itself
   * @throws StartException ({@link ErrorKind#NOT_FOUND}) if it does not exist, ({@link
   *     ErrorKind#FILESYSTEM}) if resolving it would leave {@code dir}
   */
  public void bindInto(
      Path dir, String subpath, ContainerPath at, Access access, List<IdMap> idmap) {
    hot.bindInto(dir, subpath, at, access, List.copyOf(idmap));
  }

  /** Undoes {@link #bindInto} at {@code at}; false if nothing of ours is mounted there. */
  public boolean unmount(ContainerPath at) {
    return hot.unmount(at);
  }

  /**
   * An {@code lxc-attach} running {@code command} inside the container as its root, with exactly
   * {@code env} as environment (values are passed through the environment, never the command line).
   * Not started: the caller starts it and owns the process.
   */
  public ProcessBuilder attach(List<String> command, Map<String, String> env, Terminal terminal) {
    return attach(command, env, terminal, TerminalSize.DEFAULT);
  }

  /** {@link #attach}, on a terminal of {@code size} when {@code terminal} is a pty. */
  public ProcessBuilder attach(
      List<String> command, Map<String, String> env, Terminal terminal, TerminalSize size) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("attach needs a command");
    }
    return host.lxc().attach(name, command, env, terminal, size);
  }

  /** Resizes the terminal of a command {@link #attach}ed on a pty (it gets SIGWINCH). */
  public void resize(Process attached, TerminalSize size) {
    Lxc.resize(attached, size);
  }

  /**
   * Memory and pids use, from the container's cgroup.
   *
   * @throws StartException ({@link ErrorKind#LXC}) if it is not running
   */
  public Stats stats() {
    if (!isRunning()) {
      throw new StartException(ErrorKind.LXC, "container " + name + " is not running");
    }
    return host.cgroups().stats(name);
  }

  /**
   * Stops the container (SIGTERM to its init, SIGKILL after {@link #STOP_GRACE}) and removes all
   * that was made for it: mounts (lazily and recursively), its cgroups, its veth, its address, and
   * its directories, rpc and logs included. Idempotent.
   *
   * @throws StartException if something could not be removed; what it could remove is gone
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    long t0 = System.nanoTime();
    try {
      teardown(host, name, dirs, true, hot);
    } finally {
      synchronized (this) {
        logsDir.close();
      }
      onClose.accept(this);
    }
    log.info("container {} closed in {} ms", name, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Undoes {@link #create}, from any point: stop, hot mounts, mounts, cgroups, veth, directories.
   * Every step runs even if an earlier one failed; the first failure is thrown at the end.
   */
  static void teardown(
      Host host, String name, ContainerDirs dirs, boolean started, @Nullable HotMounts hot) {
    List<RuntimeException> failures = new ArrayList<>();
    if (started) {
      step(failures, () -> stop(host, name));
    }
    if (hot != null) {
      step(failures, hot::close);
    }
    step(failures, () -> detachAll(host.mounts(), dirs.mounts()));
    step(failures, () -> host.cgroups().remove(name));
    step(failures, () -> host.net().deleteStrayVeth(name));
    step(failures, () -> FileTrees.delete(dirs.mounts()));
    step(failures, () -> FileTrees.delete(dirs.state()));
    if (!failures.isEmpty()) {
      RuntimeException first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static void stop(Host host, String name) {
    host.lxc().stop(name, STOP_GRACE);
    if (host.lxc().info(name).running()) {
      host.lxc().kill(name);
    }
  }

  /**
   * Detaches the mounts on our own mount points directly below {@code dir}, each with everything
   * below it. Only paths of ours are walked: mounts deeper down lie inside a root file system whose
   * directories the container controlled, and go with it.
   */
  static void detachAll(Mounts mounts, Path dir) {
    for (int round = 0; round < 8; round++) { // mounts may be stacked on one point
      List<MountTable.Mount> ours =
          MountTable.under(MountTable.read(), dir).stream()
              .filter(m -> m.mountPoint().getParent().equals(dir))
              .toList();
      if (ours.isEmpty()) {
        return;
      }
      for (MountTable.Mount m : ours) {
        mounts.detach(m.mountPoint().toString(), m.mountPoint().toString());
      }
    }
  }

  private static void step(List<RuntimeException> failures, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  @Override
  public String toString() {
    return "ServiceContainer[" + name + " " + ip.getHostAddress() + "]";
  }
}
