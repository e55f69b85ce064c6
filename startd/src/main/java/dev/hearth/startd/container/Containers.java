package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container subsystem's facade: one unprivileged LXC container per installed service, driven by
 * Debian's {@code lxc-*} tools, with its images, volumes and subcontainers mounted in, a static
 * address on the bridge and userspace port forwards to it.
 *
 * <p>Thread-safe; every method blocks (call from virtual threads). {@link #open} takes a few
 * hundred milliseconds, {@link #create} tens to a hundred or so (mounts plus {@code lxc-start}),
 * {@link #forward} under a millisecond. Closing it closes every container and forward it made.
 */
public final class Containers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Containers.class);

  private final ContainerSettings settings;
  private final Host host;
  private final Map<String, ServiceContainer> live = new ConcurrentHashMap<>();
  private final Set<String> reserved = ConcurrentHashMap.newKeySet(); // names being created or live
  private final Map<String, ContainerIds> idsInUse = new HashMap<>(); // guarded by itself
  private final Set<String> known = ConcurrentHashMap.newKeySet(); // every name we have handled
  private final Set<Path> loopFiles = ConcurrentHashMap.newKeySet(); // every file we loop-mounted
  private final Set<PortForward> forwards = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Containers(ContainerSettings settings, Host host, Leftovers.Found swept) {
    this.settings = settings;
    this.host = host;
    known.addAll(swept.names());
    loopFiles.addAll(swept.loopFiles());
    loopFiles.add(settings.runtimeImage());
  }

  /**
   * Checks the host (root, LXC tools, kernel features), removes whatever a previous run left in
   * {@code lxcPath} and {@code mountRoot} (its containers are killed), makes {@code mountRoot} an
   * rshared mount, mounts the runtime image and checks (production: creates) the bridge.
   *
   * @throws StartException ({@link ErrorKind#LXC}) naming what the host lacks, or what failed
   */
  public static Containers open(ContainerSettings s) {
    Preflight.check(s);
    Syscalls sys;
    try {
      sys = new Syscalls();
    } catch (UnsatisfiedLinkError | IllegalCallerException e) {
      throw new StartException(ErrorKind.LXC, "cannot call the kernel's mount API: " + e, e);
    }
    if (!Containers.class.getModule().isNativeAccessEnabled()) {
      log.warn("native access is not enabled: run java with --enable-native-access=ALL-UNNAMED");
    }
    Ownership.hostDir(s.lxcPath());
    Ownership.hostDir(s.mountRoot());
    Mounts mounts = new Mounts(sys);
    UserNamespaces userns = new UserNamespaces(sys);
    Cgroups cgroups = Cgroups.detect(Path.of("/sys/fs/cgroup"));
    Lxc lxc = new Lxc(s.lxcPath());
    ContainerNetwork net = null;
    try {
      net = ContainerNetwork.open(s, sys);
      Leftovers.Found swept = Leftovers.sweep(s, mounts, cgroups, lxc, net);
      if (!MountTable.isMountPoint(MountTable.read(), s.mountRoot())) {
        mounts.bindOntoItself(s.mountRoot());
      }
      // Shared, so that unmounts reach the copies other mount namespaces took of our mounts
      // (otherwise they pin loop devices: lab §1, §12.7).
      mounts.makeShared(s.mountRoot());
      // The runtime image once, as it is: each container takes an id-mapped copy for its range.
      Path runtime = Ownership.hostDir(s.mountRoot().resolve(Leftovers.RUNTIME));
      mounts.loopSquashfs(s.runtimeImage(), 0, Files.size(s.runtimeImage()), runtime);
      Host host = new Host(s, sys, mounts, new InRoot(sys), userns, cgroups, lxc, net, runtime);
      log.info(
          "containers ready: lxcpath {}, bridge {} {}{}, cgroup {}",
          s.lxcPath(),
          s.bridge(),
          s.subnet(),
          s.netns() == null ? "" : " in netns " + s.netns(),
          cgroups.unified() ? "v2" : "v1");
      return new Containers(s, host, swept);
    } catch (IOException | RuntimeException e) {
      releaseShared(s, mounts, userns, net);
      throw e instanceof StartException se
          ? se
          : new StartException(ErrorKind.LXC, "cannot set up containers: " + e, e);
    }
  }

  /**
   * Creates and starts a container: its root file system (an overlay over the runtime image), the
   * spec's mounts, the rpc and logs directories, identity files, an address; returns once LXC
   * reports it running (at most {@link Lxc#START_LIMIT}, 30 s).
   *
   * @throws StartException ({@link ErrorKind#DUPLICATE}) for a name in use, ({@link ErrorKind#LXC})
   *     with the end of LXC's log if it does not start, ({@link ErrorKind#NOT_FOUND}) for a missing
   *     image file or bind directory; nothing is left behind
   */
  public ServiceContainer create(ContainerSpec spec) {
    checkOpen();
    String name = spec.name();
    if (!reserved.add(name)) {
      throw new StartException(ErrorKind.DUPLICATE, "container " + name + " exists already");
    }
    try {
      reserveIds(name, spec.ids());
    } catch (RuntimeException e) {
      reserved.remove(name);
      throw e;
    }
    known.add(name);
    for (ContainerMount m : spec.mounts()) {
      switch (m) {
        case ContainerMount.Squashfs sq -> loopFiles.add(sq.file());
        case ContainerMount.OverlayOnSquashfs o -> loopFiles.add(o.file());
        case ContainerMount.Bind b -> {}
        case ContainerMount.File f -> {}
      }
    }
    Inet4Address ip;
    try {
      ip = host.net().allocate();
    } catch (RuntimeException e) {
      release(name);
      throw e;
    }
    long t0 = System.nanoTime();
    try {
      ServiceContainer c =
          ServiceContainer.create(
              host,
              spec,
              ip,
              gone -> {
                live.remove(name);
                host.net().release(ip);
                release(name);
              });
      live.put(name, c);
      if (closed) { // close() swept `live` before this container joined it
        c.close();
        throw new StartException(ErrorKind.LXC, "the container subsystem closed during create");
      }
      log.info(
          "container {} running at {} in {} ms",
          name,
          ip.getHostAddress(),
          (System.nanoTime() - t0) / 1_000_000);
      return c;
    } catch (RuntimeException e) {
      host.net().release(ip);
      release(name);
      throw e;
    }
  }

  /**
   * Two containers with overlapping id ranges could reach each other's files and processes: the
   * caller hands out ranges, and this keeps a mistake there from becoming a breach.
   */
  private void reserveIds(String name, ContainerIds ids) {
    synchronized (idsInUse) {
      for (var e : idsInUse.entrySet()) {
        if (e.getValue().overlaps(ids)) {
          throw new StartException(
              ErrorKind.INVALID_REQUEST,
              "container "
                  + name
                  + " would share ids "
                  + ids.base()
                  + ".. with running container "
                  + e.getKey());
        }
      }
      idsInUse.put(name, ids);
    }
  }

  private void release(String name) {
    synchronized (idsInUse) {
      idsInUse.remove(name);
    }
    reserved.remove(name);
  }

  /**
   * Mounts the squashfs at {@code offset} of {@code file} read-only, {@code nodev} and {@code
   * nosuid}, in a place of ours no container sees, hands its root to {@code reader}, and unmounts
   * it: how an image is looked at before anything runs from it (the kernel reads the image, as it
   * will when a container mounts it; no userland parser of ours does).
   *
   * @throws StartException ({@link ErrorKind#FILESYSTEM}) if it cannot be mounted; whatever {@code
   *     reader} throws
   */
  public void inspect(Path file, long offset, long length, Consumer<Path> reader) {
    checkOpen();
    loopFiles.add(file);
    Path at =
        Ownership.hostDir(
            settings.mountRoot().resolve(Leftovers.INSPECT + UUID.randomUUID().toString()));
    try {
      host.mounts().loopSquashfs(file, offset, length, at);
      try {
        reader.accept(at);
      } finally {
        host.mounts().detach(at.toString(), at.toString());
      }
    } finally {
      FileTrees.delete(at);
    }
  }

  /** The machinery every container shares (for this package's tests). */
  Host host() {
    return host;
  }

  /**
   * Runs {@code create} where a socket can reach the containers (the bridge's network namespace),
   * for a socket made by another library, such as the TLS proxy's upstream channels.
   */
  public <T> T inBridgeNamespace(java.util.concurrent.Callable<T> create) throws IOException {
    return host.net().inNamespace(create);
  }

  /** The host's address on the bridge, which containers see as their gateway and nameserver. */
  public Inet4Address hostAddress() {
    return host.net().subnet().host();
  }

  /**
   * Forwards TCP connections to {@code settings.forwardBind():listenPort} on to {@code target},
   * typically a container's {@link ServiceContainer#ip()} and port.
   *
   * @param listenPort 0 for any free port ({@link PortForward#port()} tells which)
   * @throws StartException ({@link ErrorKind#NETWORK}) if the port cannot be listened on
   */
  public PortForward forward(int listenPort, InetSocketAddress target) {
    checkOpen();
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("not a TCP port: " + listenPort);
    }
    InetSocketAddress bind =
        new InetSocketAddress(
            Ipv4Subnet.parseAddress("forwardBind", settings.forwardBind()), listenPort);
    try {
      PortForward f = new PortForward(bind, target, host.net()::openSocket, forwards::remove);
      forwards.add(f);
      return f;
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.NETWORK, "cannot listen on " + bind + " for a forward: " + e.getMessage(), e);
    }
  }

  /**
   * What of ours is on the host but belongs to no open container: mounts under the mount root or
   * LXC path, loop devices on files we mounted, containers' cgroups, our veths, directories in the
   * LXC path and mount root. Empty when all is clean; after {@link #close}, nothing at all may be
   * left. Meant for tests and diagnosis: it runs a few {@code ip} commands.
   */
  public List<String> leftovers() {
    return Leftovers.list(
        settings,
        host.cgroups(),
        host.net(),
        Set.copyOf(reserved), // a container being created is not left over
        Set.copyOf(known),
        Set.copyOf(loopFiles),
        !closed);
  }

  /**
   * Closes every forward and container (in parallel), then unmounts the runtime image and the mount
   * root. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List.copyOf(forwards).forEach(PortForward::close);
    List<RuntimeException> failures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (ServiceContainer c : List.copyOf(live.values())) {
        pool.execute(() -> {
          try {
            c.close();
          } catch (RuntimeException e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        });
      }
    }
    releaseShared(settings, host.mounts(), host.userns(), host.net());
    if (!failures.isEmpty()) {
      RuntimeException first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static void releaseShared(
      ContainerSettings s, Mounts mounts, UserNamespaces userns, @Nullable ContainerNetwork net) {
    try {
      ServiceContainer.detachAll(mounts, s.mountRoot());
      mounts.detach(s.mountRoot().toString(), s.mountRoot().toString());
      FileTrees.delete(s.mountRoot().resolve(Leftovers.RUNTIME));
      Files.deleteIfExists(s.lxcPath().resolve(ContainerNetwork.HOOK));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot clean up " + s.lxcPath(), e);
    } finally {
      userns.close();
      if (net != null) {
        net.close();
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StartException(ErrorKind.LXC, "the container subsystem is closed");
    }
  }
}
