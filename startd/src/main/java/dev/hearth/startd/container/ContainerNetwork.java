package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The containers' bridge and addresses. In production the bridge is in the host's network namespace
 * and LXC attaches each veth to it; it is created with the host's address if missing. With a test
 * namespace, the bridge lives there and a {@code start-host} hook moves each veth's host end into
 * it, so no container address is ever routed by the host (lab §5, option A).
 *
 * <p>Veth names are {@code vh} + 4 hex digits of a hash of the LXC path + 8 of the container name:
 * at most 15 characters whatever the name, and recognisably ours for {@link Containers#leftovers}.
 */
final class ContainerNetwork implements AutoCloseable {
  private static final Duration IP_LIMIT = Duration.ofSeconds(10);
  static final String HOOK = ".veth-hook"; // a dot: no container can have this name

  private final Ipv4Subnet subnet;
  private final AddressPool pool;
  private final String bridge;
  private final @Nullable String netns;
  private final String vethPrefix;
  private final LxcConfig.Network lxcNetwork;
  private final @Nullable NetnsSockets sockets;

  private ContainerNetwork(
      ContainerSettings s, LxcConfig.Network lxcNetwork, @Nullable NetnsSockets sockets) {
    this.subnet = Ipv4Subnet.parse(s.subnet());
    this.pool = new AddressPool(subnet);
    this.bridge = s.bridge();
    this.netns = s.netns();
    this.vethPrefix = "vh" + hash(s.lxcPath().toString()).substring(0, 4);
    this.lxcNetwork = lxcNetwork;
    this.sockets = sockets;
  }

  /**
   * Checks (production: creates) the bridge, writes the veth hook when a namespace is used and
   * enters that namespace for sockets.
   */
  static ContainerNetwork open(ContainerSettings s, Syscalls sys) {
    Ipv4Subnet subnet = Ipv4Subnet.parse(s.subnet());
    String ns = s.netns();
    if (ns != null && !Files.exists(Path.of("/run/netns", ns))) {
      throw new StartException(
          ErrorKind.NETWORK,
          "network namespace " + ns + " does not exist (ip netns add " + ns + ")");
    }
    ensureBridge(ns, s.bridge(), subnet);
    Path hook = s.lxcPath().resolve(HOOK);
    writeHook(hook, ns, s.bridge());
    if (ns == null) {
      return new ContainerNetwork(s, new LxcConfig.Network.Bridged(s.bridge(), hook), null);
    }
    return new ContainerNetwork(s, new LxcConfig.Network.Hooked(hook), new NetnsSockets(sys, ns));
  }

  Ipv4Subnet subnet() {
    return subnet;
  }

  Inet4Address allocate() {
    return pool.allocate();
  }

  void release(Inet4Address a) {
    pool.release(a);
  }

  String veth(String container) {
    return vethPrefix + hash(container).substring(0, 8);
  }

  LxcConfig.Network lxcNetwork() {
    return lxcNetwork;
  }

  /** {@code create} run where sockets reach the containers: the bridge's namespace. */
  <T> T inNamespace(java.util.concurrent.Callable<T> create) throws IOException {
    if (sockets != null) {
      return sockets.call(create);
    }
    try {
      return create.call();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** A TCP socket in the bridge's namespace, to connect to a container. */
  SocketChannel openSocket() throws IOException {
    return sockets == null ? SocketChannel.open() : sockets.open();
  }

  /** Our veths that exist now, in the host's namespace and the bridge's. */
  List<String> veths() {
    List<String> out = new ArrayList<>(links(null));
    if (netns != null) {
      out.addAll(links(netns));
    }
    return out.stream().filter(l -> l.startsWith(vethPrefix)).toList();
  }

  /**
   * Deletes a container's veth if it is still in the host's namespace. Normally it is gone with the
   * container's namespace (its peer lived there); a start that failed half-way can leave it.
   */
  void deleteStrayVeth(String container) {
    String veth = veth(container);
    if (Files.exists(Path.of("/sys/class/net", veth))) { // sysfs shows the host's namespace
      Command.run(ErrorKind.NETWORK, IP_LIMIT, ip(null, "link", "delete", veth));
    }
  }

  /** Deletes a veth of ours wherever it is (its peer goes with it). */
  void deleteVeth(String veth) {
    Command.run(ErrorKind.NETWORK, IP_LIMIT, ip(null, "link", "delete", veth));
    if (netns != null) {
      Command.run(ErrorKind.NETWORK, IP_LIMIT, ip(netns, "link", "delete", veth));
    }
  }

  @Override
  public void close() {
    if (sockets != null) {
      sockets.close();
    }
  }

  private static void ensureBridge(@Nullable String ns, String bridge, Ipv4Subnet subnet) {
    String where = ns == null ? "" : " in network namespace " + ns;
    if (!Command.run(ErrorKind.NETWORK, IP_LIMIT, ip(ns, "link", "show", bridge)).ok()) {
      Command.require(
          ErrorKind.NETWORK,
          IP_LIMIT,
          "creating bridge " + bridge + where,
          ip(ns, "link", "add", bridge, "type", "bridge"));
    }
    String all =
        Command.require(
                ErrorKind.NETWORK,
                IP_LIMIT,
                "reading the addresses" + where,
                ip(ns, "-4", "-o", "addr", "show"))
            .output();
    String clash = clash(all, bridge, subnet);
    if (clash != null) {
      throw new StartException(
          ErrorKind.NETWORK,
          "the containers' subnet "
              + subnet
              + " overlaps "
              + clash
              + where
              + ": containers would not be reachable. Choose another subnet (--subnet, or"
              + " subnet: in the config file)");
    }
    String cidr = subnet.host().getHostAddress() + "/" + subnet.prefix();
    String addrs =
        Command.require(
                ErrorKind.NETWORK,
                IP_LIMIT,
                "reading bridge " + bridge + "'s addresses" + where,
                ip(ns, "-4", "-o", "addr", "show", "dev", bridge))
            .output();
    if (!List.of(addrs.split("\\s+")).contains(cidr)) {
      Command.require(
          ErrorKind.NETWORK,
          IP_LIMIT,
          "giving bridge " + bridge + where + " the address " + cidr,
          ip(
              ns,
              "addr",
              "add",
              cidr,
              "broadcast",
              subnet.broadcast().getHostAddress(),
              "dev",
              bridge));
    }
    Command.require(
        ErrorKind.NETWORK,
        IP_LIMIT,
        "bringing bridge " + bridge + where + " up",
        ip(ns, "link", "set", bridge, "up"));
  }

  /**
   * The first address of another interface that overlaps {@code subnet}, as {@code "CIDR on DEV"},
   * or null. {@code ipAddrs} is {@code ip -4 -o addr show}'s output: one address a line, {@code "2:
   * eth0 inet 192.0.2.2/24 brd … scope global eth0…"}. Debian's lxc-net, for one, puts 10.0.3.1/24
   * on lxcbr0; two bridges with one subnet make the host's routes ambiguous.
   */
  static @Nullable String clash(String ipAddrs, String bridge, Ipv4Subnet subnet) {
    for (String line : ipAddrs.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[2].equals("inet")) {
        continue;
      }
      String dev = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
      int slash = f[3].indexOf('/');
      if (dev.equals(bridge) || slash < 0) {
        continue;
      }
      int address = Ipv4Subnet.toInt(Ipv4Subnet.parseAddress("address", f[3].substring(0, slash)));
      if (subnet.overlaps(address, Integer.parseInt(f[3].substring(slash + 1)))) {
        return f[3] + " on " + dev;
      }
    }
    return null;
  }

  /**
   * The {@code start-host} hook. Every bridge port is isolated: a container reaches the host, never
   * another container directly (a dependency is reached through its forwarded ports, as from the
   * LAN). With a namespace it first moves the veth there and onto the bridge.
   */
  private static void writeHook(Path hook, @Nullable String ns, String bridge) {
    String ip = ipBinary();
    String script =
        ns == null
            ? """
            #!/bin/sh
            # lxc.hook.start-host, written by hearth startd: isolates the container's port ($1) on
            # bridge %s, so containers cannot reach each other directly.
            set -e
            %s link set "$1" type bridge_slave isolated on
            """
                .formatted(bridge, ip)
            : """
            #!/bin/sh
            # lxc.hook.start-host, written by hearth startd: moves the host end of the container's
            # veth ($1) into network namespace %s and onto its bridge %s, isolated so that
            # containers cannot reach each other directly.
            set -e
            %s link set "$1" netns %s
            %s -n %s link set "$1" master %s up
            %s -n %s link set "$1" type bridge_slave isolated on
            """
                .formatted(ns, bridge, ip, ns, ip, ns, bridge, ip, ns);
    try {
      Files.writeString(hook, script, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write the veth hook " + hook, e);
    }
  }

  private static List<String> links(@Nullable String ns) {
    Command.Result r = Command.run(ErrorKind.NETWORK, IP_LIMIT, ip(ns, "-o", "link", "show"));
    List<String> names = new ArrayList<>();
    for (String line : r.output().split("\n")) {
      String[] f = line.split(":\\s*", 3); // "7: vh1234abcd@if6: <BROADCAST,…"
      if (f.length >= 2) {
        names.add(f[1].replaceFirst("@.*", ""));
      }
    }
    return names;
  }

  private static List<String> ip(@Nullable String ns, String... args) {
    List<String> argv = new ArrayList<>(List.of(ipBinary()));
    if (ns != null) {
      argv.addAll(List.of("-n", ns));
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private static String ipBinary() {
    for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    throw new StartException(ErrorKind.NETWORK, "no `ip` command (Debian package iproute2)");
  }

  private static String hash(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
