package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.s9pk.ImageRules;
import dev.hearth.startd.ContainerConfig;
import dev.hearth.startd.container.Access;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerMount;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.container.ContainerSettings;
import dev.hearth.startd.container.ContainerSpec;
import dev.hearth.startd.container.Containers;
import dev.hearth.startd.container.IdMap;
import dev.hearth.startd.container.Limits;
import dev.hearth.startd.container.PortForward;
import dev.hearth.startd.container.ServiceContainer;
import dev.hearth.startd.container.Stats;
import dev.hearth.startd.container.Terminal;
import dev.hearth.startd.container.TerminalSize;
import dev.hearth.startd.net.Dnat;
import dev.hearth.startd.net.NatTable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Service containers as LXC containers ({@link Containers}), laid out as container-runtime.md §3.1.
 */
final class LxcSandboxes implements Sandboxes, AutoCloseable {
  /**
   * What each service may use until per-service limits exist (issue 10: a package must not be able
   * to starve the host): 1 GiB of memory, 1024 processes and threads, the default CPU weight, and
   * all the cores but half of one, so the daemon and the other services always have some.
   */
  static final Limits DEFAULT_LIMITS =
      new Limits(1L << 30, 1024, 1024, cpuPercent(Runtime.getRuntime().availableProcessors()));

  static int cpuPercent(int cores) {
    return Math.max(50, cores * 100 - 50);
  }

  private final Containers containers;
  private final ContainerConfig config;
  private final NatTable nat;

  private LxcSandboxes(Containers containers, ContainerConfig config, NatTable nat) {
    this.containers = containers;
    this.config = config;
    this.nat = nat;
  }

  /** A container's name: at most 20 characters of its package id, a dash, 8 random hex digits. */
  static final int MAX_NAME = 29;

  /** The longest Unix socket path Linux takes (sun_path is 108 bytes with its terminator). */
  static final int MAX_SOCKET_PATH = 107;

  static LxcSandboxes open(ContainerConfig config, Path dataDir) {
    // A container's sockets live at <lxcpath>/<name>/rpc/service.sock.
    int longest =
        dataDir.resolve("containers/lxc").toString().length()
            + 1
            + MAX_NAME
            + "/rpc/service.sock".length();
    if (longest > MAX_SOCKET_PATH) {
      throw new dev.hearth.error.StartException(
          dev.hearth.error.ErrorKind.FILESYSTEM,
          "the data directory's path "
              + dataDir
              + " is too long for the containers' sockets (by "
              + (longest - MAX_SOCKET_PATH)
              + " characters); use a shorter one");
    }
    var settings =
        new ContainerSettings(
            dataDir.resolve("containers/lxc"),
            dataDir.resolve("containers/mnt"),
            config.runtimeImage(),
            config.bridge(),
            config.subnet(),
            config.netns(),
            config.forwardBind(),
            DEFAULT_LIMITS);
    Containers containers = Containers.open(settings);
    try {
      // In the bridge's namespace, where the containers' addresses are routed.
      NatTable nat = NatTable.open(config.netns(), config.bridge(), config.subnet());
      return new LxcSandboxes(containers, config, nat);
    } catch (RuntimeException e) {
      containers.close();
      throw e;
    }
  }

  @Override
  public void checkContents(PackageFile pkg) {
    check(pkg, "the JavaScript", pkg.javascript());
    pkg.assets().ifPresent(a -> check(pkg, "the assets", a));
    pkg.images().forEach((id, image) -> check(pkg, "image " + id, image.squashfs()));
  }

  private void check(PackageFile pkg, String what, PackageFile.Range range) {
    containers.inspect(
        pkg.file(),
        range.offset(),
        range.length(),
        root -> ImageRules.requireNoDeviceNodes(root, what, ErrorKind.VALIDATE_S9PK));
  }

  @Override
  public Sandbox create(Spec spec) {
    PackageFile pkg = spec.pkg();
    List<ContainerMount> mounts = new ArrayList<>();
    mounts.add(
        new ContainerMount.Squashfs(
            pkg.file(),
            pkg.javascript().offset(),
            pkg.javascript().length(),
            "/usr/lib/startos/package"));
    pkg.assets()
        .ifPresent(a ->
            mounts.add(
                new ContainerMount.OverlayOnSquashfs(
                    pkg.file(), a.offset(), a.length(), "/media/startos/assets")));
    pkg.images()
        .forEach((id, image) -> {
          mounts.add(
              new ContainerMount.Squashfs(
                  pkg.file(),
                  image.squashfs().offset(),
                  image.squashfs().length(),
                  "/media/startos/images/" + id));
          mounts.add(
              new ContainerMount.File(
                  image.env(), ContainerPath.of("/media/startos/images/" + id + ".env")));
          mounts.add(
              new ContainerMount.File(
                  image.json(), ContainerPath.of("/media/startos/images/" + id + ".json")));
        });
    for (Volume v : spec.volumes()) {
      mounts.add(
          new ContainerMount.Bind(
              v.hostDir(),
              ContainerPath.of("/media/startos/volumes/" + v.id()),
              Access.READ_WRITE));
    }
    // A fresh name per load: a container that failed to go away cannot block the next one. Short,
    // because it is part of the sockets' paths.
    String id = spec.packageId();
    String name =
        id.substring(0, Math.min(id.length(), MAX_NAME - 9))
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    ServiceContainer c =
        containers.create(
            new ContainerSpec(name, hostname(spec.packageId()), mounts, null, spec.ids()));
    return new LxcSandbox(c);
  }

  private static String hostname(String packageId) {
    return packageId.length() > 63 ? packageId.substring(0, 63) : packageId;
  }

  @Override
  public List<Gateway> gateways() {
    if (!config.forwardBind().equals("0.0.0.0")) {
      return List.of(new Gateway("lo", config.forwardBind()));
    }
    List<Gateway> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()
            || nic.isLoopback()
            || nic.getName().equals(config.bridge())
            || nic.getName().startsWith("vh")) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address v4) {
            out.add(new Gateway(nic.getName(), v4.getHostAddress()));
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return out;
  }

  @Override
  public Inet4Address hostAddress() {
    return containers.hostAddress();
  }

  @Override
  public void dnat(List<Dnat> forwards) {
    nat.set(forwards);
  }

  @Override
  public <T> T inBridgeNamespace(java.util.concurrent.Callable<T> create)
      throws java.io.IOException {
    return containers.inBridgeNamespace(create);
  }

  @Override
  public void block(List<dev.hearth.startd.net.Blocked> addresses) {
    nat.block(addresses);
  }

  @Override
  public Forward forward(int port, InetSocketAddress target) {
    PortForward f = containers.forward(port, target);
    return new Forward() {
      @Override
      public int port() {
        return f.port();
      }

      @Override
      public void close() {
        f.close();
      }
    };
  }

  @Override
  public void close() {
    try {
      nat.close();
    } finally {
      containers.close();
    }
  }

  /** One LXC container as a {@link Sandbox}. */
  private record LxcSandbox(ServiceContainer c) implements Sandbox {
    @Override
    public String name() {
      return c.name();
    }

    @Override
    public Inet4Address ip() {
      return c.ip();
    }

    @Override
    public Path rpcDir() {
      return c.rpcDir();
    }

    @Override
    public Path logFile() {
      return c.logFile();
    }

    @Override
    public java.util.Optional<java.nio.channels.FileChannel> openLog() {
      return c.openLog();
    }

    @Override
    public int rootUid() {
      return c.ids().root();
    }

    @Override
    public String createSubcontainer(String imageId, String guid, String hostname) {
      return c.subcontainerFs(ContainerPath.of("/media/startos/images/" + imageId), guid, hostname)
          .toString();
    }

    @Override
    public void destroySubcontainer(String guid) {
      c.destroySubcontainerFs(guid);
    }

    @Override
    public void bindInto(
        Path dir,
        String subpath,
        ContainerPath at,
        boolean readOnly,
        ContainerIds owner,
        List<int[]> idmap) {
      List<IdMap> overrides = new ArrayList<>();
      for (int[] m : idmap) {
        overrides.add(new IdMap(owner.base() + m[0], m[1], m[2]));
      }
      c.bindInto(
          dir,
          subpath,
          at,
          readOnly ? Access.READ_ONLY : Access.READ_WRITE,
          IdMap.ownedBy(owner, overrides));
    }

    @Override
    public ProcessBuilder attach(
        List<String> command, Map<String, String> env, @Nullable TerminalSize terminal) {
      return terminal == null
          ? c.attach(command, env, Terminal.PIPES)
          : c.attach(command, env, Terminal.PTY, terminal);
    }

    @Override
    public void resize(Process attached, TerminalSize size) {
      c.resize(attached, size);
    }

    @Override
    public long[] memory() {
      Stats s = c.stats();
      return new long[] {s.memoryBytes(), s.memoryLimitBytes()};
    }

    @Override
    public boolean isRunning() {
      return c.isRunning();
    }

    @Override
    public void close() {
      c.close();
    }
  }
}
