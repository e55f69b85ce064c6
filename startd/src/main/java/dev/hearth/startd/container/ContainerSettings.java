package dev.hearth.startd.container;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Containers} runs containers on this machine.
 *
 * @param lxcPath our own LXC path ({@code lxc-* -P}): one directory per container with its
 *     hand-written config, LXC log, rpc and logs directories and overlay layers. Nothing else may
 *     live here: {@link Containers#open} deletes what it does not know.
 * @param mountRoot every mount we make lives below this directory, which we bind onto itself as an
 *     {@code rshared} mount. Like {@code lxcPath}, ours alone.
 * @param runtimeImage the runtime root file system, a squashfs
 * @param bridge the bridge the containers' veths join, e.g. {@code hearth0}
 * @param subnet the bridge's IPv4 network in CIDR form, e.g. {@code 10.0.3.0/24}: the host is the
 *     first address, containers get the next ones (static, no DHCP)
 * @param netns null in production, where the bridge is in the host's network namespace (created if
 *     missing); otherwise the name of a namespace ({@code ip netns}) that holds the bridge, which
 *     tests use so that no container address is ever routed out of the machine
 * @param forwardBind the IPv4 address port forwards listen on: {@code 0.0.0.0} in production,
 *     {@code 127.0.0.1} in tests
 * @param defaultLimits for containers whose spec names none
 */
public record ContainerSettings(
    Path lxcPath,
    Path mountRoot,
    Path runtimeImage,
    String bridge,
    String subnet,
    @Nullable String netns,
    String forwardBind,
    Limits defaultLimits) {
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
  private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public ContainerSettings {
    checkPath("lxcPath", lxcPath);
    checkPath("mountRoot", mountRoot);
    checkPath("runtimeImage", runtimeImage);
    if (lxcPath.startsWith(mountRoot) || mountRoot.startsWith(lxcPath)) {
      throw new IllegalArgumentException(
          "containers.lxcPath and containers.mountRoot must not contain each other: "
              + lxcPath
              + ", "
              + mountRoot);
    }
    if (!INTERFACE.matcher(bridge).matches()) {
      throw new IllegalArgumentException(
          "containers.bridge must be an interface name (1..15 of [A-Za-z0-9_.-]): " + bridge);
    }
    Ipv4Subnet.parse(subnet);
    if (netns != null && !NETNS.matcher(netns).matches()) {
      throw new IllegalArgumentException(
          "containers.netns must be an `ip netns` name (1..64 of [A-Za-z0-9_.-]): " + netns);
    }
    Ipv4Subnet.parseAddress("containers.forwardBind", forwardBind);
  }

  private static void checkPath(String what, Path p) {
    if (!p.isAbsolute() || !p.normalize().equals(p)) {
      throw new IllegalArgumentException(
          "containers." + what + " must be an absolute normalized path: " + p);
    }
    if (p.toString().chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      // LXC's config and mount entries separate fields with blanks.
      throw new IllegalArgumentException(
          "containers." + what + " must not contain blanks or control characters: " + p);
    }
  }
}
