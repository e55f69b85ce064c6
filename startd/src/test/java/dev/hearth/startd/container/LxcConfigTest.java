package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LxcConfigTest {
  private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.0.3.0/24");
  private static final Inet4Address IP = SUBNET.container(3);

  private static LxcConfig config(
      LxcConfig.Network network, Limits limits, List<LxcConfig.Entry> mounts) {
    return new LxcConfig(
        "hello-world",
        "hello-host",
        ContainerIds.slot(2),
        Path.of("/var/lib/hearth/mnt/hello-world/rootfs"),
        Path.of("/var/lib/hearth/lxc/hello-world/lxc.log"),
        Path.of("/var/lib/hearth/lxc/hello-world/seccomp"),
        limits,
        network,
        "vh1234abcd5678",
        IP,
        SUBNET,
        mounts);
  }

  @Test
  void productionConfigIsTheLabsUnprivilegedTemplateOnTheHostBridge() {
    String c = config(new LxcConfig.Network.Bridged("hearth0"), Limits.NONE, List.of()).render();
    assertThat(c.lines().findFirst()).contains(LxcConfig.MARKER);
    assertThat(c)
        .contains("lxc.include = /usr/share/lxc/config/common.conf\n")
        .contains("lxc.include = /usr/share/lxc/config/userns.conf\n")
        .contains("lxc.seccomp.profile = /var/lib/hearth/lxc/hello-world/seccomp\n")
        .contains("lxc.hook.mount =\nlxc.hook.post-stop =\n")
        .contains("lxc.idmap = u 0 231072 65536\nlxc.idmap = g 0 231072 65536\n")
        .contains("lxc.uts.name = hello-host\n")
        .contains("lxc.rootfs.path = dir:/var/lib/hearth/mnt/hello-world/rootfs\n")
        .contains("lxc.rootfs.options = rshared\n")
        .contains("lxc.init.cmd = /usr/lib/startos/init/boot\n")
        .contains("lxc.signal.halt = SIGTERM\n")
        .contains("lxc.log.file = /var/lib/hearth/lxc/hello-world/lxc.log\n")
        .contains("lxc.net.0.type = veth\nlxc.net.0.link = hearth0\n")
        .contains("lxc.net.0.veth.pair = vh1234abcd5678\n")
        .contains("lxc.net.0.ipv4.address = 10.0.3.5/24 10.0.3.255\n")
        .contains("lxc.net.0.ipv4.gateway = 10.0.3.1\n")
        .contains("lxc.net.1.type = empty\nlxc.net.1.flags = up\n") // loopback, up before init
        .doesNotContain("hook.start-host")
        .doesNotContain("lxc.cgroup.memory")
        .doesNotContain("lxc.cgroup2.memory");
  }

  @Test
  void theDeviceAllowListThatUsernsConfClearsIsPutBackAfterIt() {
    String c = config(new LxcConfig.Network.Bridged("hearth0"), Limits.NONE, List.of()).render();
    int userns = c.indexOf("lxc.include = /usr/share/lxc/config/userns.conf\n");
    for (String family : List.of("lxc.cgroup", "lxc.cgroup2")) {
      int deny = c.indexOf(family + ".devices.deny = a\n");
      assertThat(deny).as(family).isGreaterThan(userns);
      assertThat(c)
          .contains(family + ".devices.allow = c 1:3 rwm\n") // null
          .contains(family + ".devices.allow = c 136:* rwm\n") // pts
          .doesNotContain(family + ".devices.allow = b")
          .doesNotContain(family + ".devices.allow = c *:*");
    }
  }

  @Test
  void everyBindEntryIsNodevAndNosuid() {
    String c =
        config(
                new LxcConfig.Network.Bridged("hearth0"),
                Limits.NONE,
                List.of(
                    new LxcConfig.Entry(Path.of("/v"), ContainerPath.of("/a"), Access.READ_WRITE),
                    new LxcConfig.Entry(Path.of("/w"), ContainerPath.of("/b"), Access.READ_ONLY)))
            .render();
    assertThat(c)
        .contains("lxc.mount.entry = /v a none nodev,nosuid,bind,create=dir 0 0\n")
        .contains("lxc.mount.entry = /w b none ro,nodev,nosuid,bind,create=dir 0 0\n");
  }

  @Test
  void withATestNamespaceTheVethIsMovedByTheStartHostHookInsteadOfLinked() {
    String c =
        config(new LxcConfig.Network.Hooked(Path.of("/tmp/lxc/.veth-hook")), Limits.NONE, List.of())
            .render();
    assertThat(c)
        .contains("lxc.hook.start-host = /tmp/lxc/.veth-hook vh1234abcd5678\n")
        .doesNotContain("lxc.net.0.link");
  }

  @Test
  void limitsAreWrittenForBothCgroupVersions() {
    String c =
        config(
                new LxcConfig.Network.Bridged("hearth0"),
                new Limits(256L << 20, 512, 2048, 150),
                List.of())
            .render();
    assertThat(c)
        .contains("lxc.cgroup.memory.limit_in_bytes = 268435456\n")
        .contains("lxc.cgroup2.memory.max = 268435456\n")
        .contains("lxc.cgroup.pids.max = 512\nlxc.cgroup2.pids.max = 512\n")
        .contains("lxc.cgroup.cpu.shares = 2048\n")
        .contains("lxc.cgroup2.cpu.weight = 79\n")
        .contains("lxc.cgroup.cpu.cfs_period_us = 100000\nlxc.cgroup.cpu.cfs_quota_us = 150000\n")
        .contains("lxc.cgroup2.cpu.max = 150000 100000\n");
  }

  @Test
  void mountsBecomeBindEntriesRelativeToTheRootfs() {
    String c =
        config(
                new LxcConfig.Network.Bridged("hearth0"),
                Limits.NONE,
                List.of(
                    new LxcConfig.Entry(
                        Path.of("/mnt/img"),
                        ContainerPath.of("/media/startos/images/main"),
                        Access.READ_ONLY),
                    new LxcConfig.Entry(
                        Path.of("/data/v"),
                        ContainerPath.of("/media/startos/volumes/main"),
                        Access.READ_WRITE)))
            .render();
    assertThat(c)
        .contains(
            "lxc.mount.entry = /mnt/img media/startos/images/main none"
                + " ro,nodev,nosuid,bind,create=dir 0 0\n")
        .contains(
            "lxc.mount.entry = /data/v media/startos/volumes/main none"
                + " nodev,nosuid,bind,create=dir 0 0\n");
  }

  @Test
  void aMountSourceWithABlankIsRefusedRatherThanMisparsedByLxc() {
    var c =
        config(
            new LxcConfig.Network.Bridged("hearth0"),
            Limits.NONE,
            List.of(
                new LxcConfig.Entry(
                    Path.of("/data/my volume"), ContainerPath.of("/v"), Access.READ_WRITE)));
    assertThatThrownBy(c::render)
        .hasMessageContaining("blanks")
        .hasMessageContaining("/data/my volume");
  }

  @Test
  void aVethNameLongerThanTheKernelAllowsIsRefused() {
    assertThatThrownBy(() ->
            new LxcConfig(
                "n",
                "h",
                ContainerIds.FIRST,
                Path.of("/r"),
                Path.of("/l"),
                Path.of("/s"),
                Limits.NONE,
                new LxcConfig.Network.Bridged("b"),
                "vh0123456789abcd",
                IP,
                SUBNET,
                List.of()))
        .hasMessageContaining("15 characters");
  }
}
