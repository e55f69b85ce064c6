package dev.hearth.startd.container;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A container's LXC config, written by hand to {@code <lxcPath>/<name>/config} (no {@code
 * lxc-create}). The template is the one measured in containers-lab.md (appendix B4/B5):
 * root-started and unprivileged (every id shifted into the container's own range), common.conf and
 * userns.conf with lxcfs's hooks cleared (its post-stop hook adds 0.5 s to every stop), the device
 * allow-list that userns.conf clears put back, {@code SIGTERM} as the halt signal (a shell or node
 * as PID 1 ignores LXC's default {@code SIGPWR}, which made every stop wait 60 s), an rshared
 * rootfs so that mounts made later on the host appear inside, and limits written for both cgroup
 * versions (LXC ignores the family the host does not use, with a warning).
 *
 * @param rootfs the host path of the mounted root file system
 * @param logFile LXC's own log, for diagnosis
 * @param network how the veth reaches the bridge
 * @param veth the host end's name, at most 15 characters
 * @param mounts bind mounts LXC makes inside the container's mount namespace before init
 */
record LxcConfig(
    String name,
    String hostname,
    ContainerIds ids,
    Path rootfs,
    Path logFile,
    Path seccompProfile,
    Limits limits,
    Network network,
    String veth,
    Inet4Address address,
    Ipv4Subnet subnet,
    List<Entry> mounts) {

  /**
   * The system calls a container may not make, in LXC's seccomp format: LXC's own list from {@code
   * common.seccomp} (kernel modules, kexec, {@code open_by_handle_at}, forced unmounts), and kernel
   * interfaces a package has no use for that are large attack surfaces, as Docker's default profile
   * judges: io_uring, the kernel keyrings (not namespaced), userfaultfd, perf events and BPF. Ours
   * answer ENOSYS ("not on this kernel"), so programs that can use io_uring fall back, and a
   * refusal by this filter is told apart from the kernel's own (EPERM, EACCES).
   */
  static final String SECCOMP =
      """
      2
      denylist
      reject_force_umount
      [all]
      kexec_load errno 1
      open_by_handle_at errno 1
      init_module errno 1
      finit_module errno 1
      delete_module errno 1
      io_uring_setup errno 38
      io_uring_enter errno 38
      io_uring_register errno 38
      keyctl errno 38
      add_key errno 38
      request_key errno 38
      userfaultfd errno 38
      perf_event_open errno 38
      bpf errno 38
      """;

  /** How the host end of the container's veth joins the bridge. */
  sealed interface Network {
    /**
     * LXC attaches it to a bridge in the host's network namespace (production); the {@code
     * start-host} hook, when there is one, then isolates the port.
     */
    record Bridged(String bridge, @Nullable Path hook) implements Network {
      Bridged(String bridge) {
        this(bridge, null);
      }
    }

    /**
     * A {@code start-host} hook moves it into another namespace and attaches it there (tests: the
     * bridge lives in a namespace the test made). {@code ip netns exec lxc-start} is not an option:
     * it remounts {@code /sys}, and the container silently gets no cgroups (lab §5).
     */
    record Hooked(Path hook) implements Network {}
  }

  /** One {@code lxc.mount.entry}: a bind of a host path of ours. */
  record Entry(Path source, ContainerPath target, Access access) {}

  /** The first line of every config we write: how crash clean-up tells our containers apart. */
  static final String MARKER = "# hearth startd container: recreated on every start, never edited";

  /**
   * The devices a container may open: the ones LXC's common.conf allows, which userns.conf
   * (included after it) clears, leaving every device open to the device cgroup. Without mknod
   * ({@code m}) wildcards: nothing in a container makes device nodes. Every mount of ours is {@code
   * nodev} as well; this is the layer underneath, for any node that reaches a container some other
   * way.
   */
  static final List<String> DEVICES =
      List.of(
          "c 1:3 rwm", // null
          "c 1:5 rwm", // zero
          "c 1:7 rwm", // full
          "c 1:8 rwm", // random
          "c 1:9 rwm", // urandom
          "c 5:0 rwm", // tty
          "c 5:1 rwm", // console
          "c 5:2 rwm", // ptmx
          "c 136:* rwm", // pts
          "c 10:229 rwm"); // fuse

  LxcConfig {
    mounts = List.copyOf(mounts);
    if (veth.length() > 15) {
      throw new IllegalArgumentException("a veth name has at most 15 characters: " + veth);
    }
  }

  String render() {
    StringBuilder c = new StringBuilder();
    line(c, MARKER);
    line(c, "lxc.include = /usr/share/lxc/config/common.conf");
    line(c, "lxc.include = /usr/share/lxc/config/userns.conf");
    line(c, "lxc.seccomp.profile = " + seccompProfile); // after common.conf, which set LXC's own
    line(c, "lxc.hook.mount =");
    line(c, "lxc.hook.post-stop =");
    // After userns.conf, which cleared them. Both families: LXC ignores the one the host lacks.
    for (String family : List.of("lxc.cgroup", "lxc.cgroup2")) {
      line(c, family + ".devices.deny = a");
      for (String device : DEVICES) {
        line(c, family + ".devices.allow = " + device);
      }
    }
    line(c, "lxc.arch = linux64");
    line(c, "lxc.uts.name = " + hostname);
    line(c, "lxc.idmap = u 0 " + ids.base() + " " + ContainerIds.COUNT);
    line(c, "lxc.idmap = g 0 " + ids.base() + " " + ContainerIds.COUNT);
    line(c, "lxc.rootfs.path = dir:" + rootfs);
    line(c, "lxc.rootfs.options = rshared");
    line(c, "lxc.init.cmd = " + Layout.INIT);
    line(c, "lxc.signal.halt = SIGTERM");
    line(c, "lxc.autodev = 1");
    line(c, "lxc.tty.max = 0");
    line(c, "lxc.pty.max = 64");
    line(c, "lxc.console.path = none");
    line(c, "lxc.log.file = " + logFile);
    line(c, "lxc.log.level = INFO");
    limits(c);
    line(c, "lxc.net.0.type = veth");
    switch (network) {
      case Network.Bridged b -> {
        line(c, "lxc.net.0.link = " + b.bridge());
        if (b.hook() != null) {
          line(c, "lxc.hook.start-host = " + b.hook() + " " + veth);
        }
      }
      case Network.Hooked h -> line(c, "lxc.hook.start-host = " + h.hook() + " " + veth);
    }
    line(c, "lxc.net.0.flags = up");
    line(c, "lxc.net.0.name = eth0");
    line(c, "lxc.net.0.veth.pair = " + veth);
    // Give the broadcast address: without it LXC set "brd 0.0.0.255" (lab §5).
    line(
        c,
        "lxc.net.0.ipv4.address = "
            + address.getHostAddress()
            + "/"
            + subnet.prefix()
            + " "
            + subnet.broadcast().getHostAddress());
    line(c, "lxc.net.0.ipv4.gateway = " + subnet.host().getHostAddress());
    // Loopback, brought up by LXC while it sets up the network: the init need not run `ip`.
    line(c, "lxc.net.1.type = empty");
    line(c, "lxc.net.1.flags = up");
    for (Entry m : mounts) {
      line(
          c,
          "lxc.mount.entry = "
              + fstabField(m.source().toString())
              + " "
              + fstabField(m.target().relative())
              + " none "
              + (m.access() == Access.READ_ONLY ? "ro," : "")
              + "nodev,nosuid,bind,create=dir 0 0");
    }
    return c.toString();
  }

  private void limits(StringBuilder c) {
    if (limits.memoryBytes() > 0) {
      line(c, "lxc.cgroup.memory.limit_in_bytes = " + limits.memoryBytes());
      line(c, "lxc.cgroup2.memory.max = " + limits.memoryBytes());
    }
    if (limits.maxPids() > 0) {
      line(c, "lxc.cgroup.pids.max = " + limits.maxPids());
      line(c, "lxc.cgroup2.pids.max = " + limits.maxPids());
    }
    if (limits.cpuShares() > 0) {
      line(c, "lxc.cgroup.cpu.shares = " + limits.cpuShares());
      line(c, "lxc.cgroup2.cpu.weight = " + limits.cpuWeight());
    }
    if (limits.cpuPercent() > 0) {
      line(c, "lxc.cgroup.cpu.cfs_period_us = " + Limits.CPU_PERIOD_MICROS);
      line(c, "lxc.cgroup.cpu.cfs_quota_us = " + limits.cpuQuotaMicros());
      line(c, "lxc.cgroup2.cpu.max = " + limits.cpuQuotaMicros() + " " + Limits.CPU_PERIOD_MICROS);
    }
  }

  /** A mount entry is fstab-like: its fields are separated by blanks, so those are refused. */
  private static String fstabField(String s) {
    if (s.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
      throw new IllegalArgumentException(
          "LXC mount entries cannot hold blanks or control characters: \"" + s + "\"");
    }
    return s;
  }

  private static void line(StringBuilder c, String s) {
    c.append(s).append('\n');
  }
}
