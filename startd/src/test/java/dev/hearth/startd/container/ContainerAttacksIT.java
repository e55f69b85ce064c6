package dev.hearth.startd.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks a hostile package's container makes on the host through what the container subsystem
 * gives it (issue 10), performed for real on LXC: each must fail, and the host's data must not
 * move. The package's image here holds what a hostile author can put in one: a block device node
 * for a host disk (a loop device this test makes over a file holding a secret) and a setuid-root
 * program.
 */
class ContainerAttacksIT {
  private static final String SECRET = "the host disk's secret contents";
  private static final ContainerPath IMAGE = ContainerPath.of("/media/startos/images/main");
  private static final ContainerPath ASSETS = ContainerPath.of("/media/startos/assets");

  private static Path dir;
  private static BusyboxImages images;
  private static TestNetwork net;
  private static Containers containers;
  private static String loopDevice;
  private static Path hostile; // a package file: the hostile image at 0, and again as assets
  private static long hostileLength;

  @BeforeAll
  static void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            "hearth-attack",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    images = BusyboxImages.build(dir.resolve("images"));
    Path disk = dir.resolve("disk.img");
    try (OutputStream out = Files.newOutputStream(disk)) {
      byte[] block = new byte[1 << 20];
      byte[] secret = SECRET.getBytes(UTF_8);
      System.arraycopy(secret, 0, block, 0, secret.length);
      out.write(block);
    }
    loopDevice = BusyboxImages.output("losetup", "--find", "--show", disk.toString()).strip();
    hostile = hostileImage(dir.resolve("hostile"));
    hostileLength = Files.size(hostile);
    net = TestNetwork.create();
    containers =
        Containers.open(
            new ContainerSettings(
                dir.resolve("lxc"),
                dir.resolve("mnt"),
                images.runtime(),
                net.bridge(),
                net.subnet(),
                net.netns(),
                "127.0.0.1",
                new Limits(64L << 20, 256, 512, 50)));
  }

  /**
   * An image as a hostile package author makes one, with mksquashfs's pseudo files (no root needed
   * to write device nodes into an image): {@code disk}, the host's loop device; {@code euid}, a
   * setuid-root program that prints its effective uid.
   */
  private static Path hostileImage(Path tree) throws Exception {
    Files.createDirectories(tree);
    Path source = tree.resolve("euid.c");
    Files.writeString(
        source,
        "#include <stdio.h>\n#include <unistd.h>\nint main(void){printf(\"euid %d\\n\","
            + " (int)geteuid());return 0;}\n");
    BusyboxImages.run(
        "gcc", "-static", "-O2", "-o", tree.resolve("euid").toString(), source.toString());
    Files.delete(source);
    Files.setPosixFilePermissions(
        tree.resolve("euid"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path calls = tree.resolve("calls.c");
    Files.writeString(calls, KERNEL_CALLS_C);
    BusyboxImages.run(
        "gcc", "-static", "-O2", "-o", tree.resolve("calls").toString(), calls.toString());
    Files.delete(calls);
    String[] numbers = loopNumbers(loopDevice);
    Path out = tree.resolveSibling("hostile.squashfs");
    BusyboxImages.run(
        "mksquashfs",
        tree.toString(),
        out.toString(),
        "-noappend",
        "-quiet",
        "-all-root",
        "-p",
        "disk b 666 0 0 " + numbers[0] + " " + numbers[1],
        "-p",
        "euid m 4755 0 0");
    return out;
  }

  /**
   * {@code calls}: makes each system call of the kernel's larger attack surfaces a package has no
   * use for, with arguments that succeed where the call is allowed, and prints "NAME ok" or "NAME
   * errno N" for each.
   */
  private static final String KERNEL_CALLS_C =
      """
      #include <errno.h>
      #include <stdio.h>
      #include <string.h>
      #include <unistd.h>
      #include <sys/syscall.h>
      #include <linux/io_uring.h>
      #include <linux/keyctl.h>
      #include <linux/perf_event.h>
      #include <linux/bpf.h>
      static void report(const char *name, long r) {
        if (r >= 0) printf("%s ok\\n", name); else printf("%s errno %d\\n", name, errno);
      }
      int main(void) {
        struct io_uring_params p;
        memset(&p, 0, sizeof p);
        long ring = syscall(__NR_io_uring_setup, 4, &p);
        report("io_uring_setup", ring);
        report("io_uring_enter", syscall(__NR_io_uring_enter, ring >= 0 ? ring : 0, 0, 0, 0, 0, 0));
        report("io_uring_register",
            syscall(__NR_io_uring_register, ring >= 0 ? ring : 0, IORING_REGISTER_PROBE, 0, 0));
        report("keyctl", syscall(__NR_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1));
        report("add_key", syscall(__NR_add_key, "user", "hearth", "x", 1, KEY_SPEC_SESSION_KEYRING));
        report("request_key", syscall(__NR_request_key, "user", "hearth", 0, 0));
        report("userfaultfd", syscall(__NR_userfaultfd, 0));
        struct perf_event_attr a;
        memset(&a, 0, sizeof a);
        a.size = sizeof a;
        a.type = PERF_TYPE_SOFTWARE;
        a.config = PERF_COUNT_SW_TASK_CLOCK;
        a.exclude_kernel = 1;
        report("perf_event_open", syscall(__NR_perf_event_open, &a, 0, -1, -1, 0));
        union bpf_attr b;
        memset(&b, 0, sizeof b);
        report("bpf", syscall(__NR_bpf, BPF_PROG_LOAD, &b, sizeof b));
        return 0;
      }
      """;

  /** The major and minor numbers of a block device, from sysfs. */
  private static String[] loopNumbers(String device) throws Exception {
    String name = Path.of(device).getFileName().toString();
    return Files.readString(Path.of("/sys/class/block", name, "dev")).strip().split(":");
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (containers != null) {
        containers.close();
        assertThat(containers.leftovers()).isEmpty();
      }
    } finally {
      if (loopDevice != null) {
        BusyboxImages.run("losetup", "--detach", loopDevice);
      }
      if (net != null) {
        net.delete();
      }
      if (dir != null) {
        FileTrees.delete(dir);
      }
    }
  }

  private static ContainerSpec hostileSpec(String name, ContainerIds ids) {
    return new ContainerSpec(
        name,
        name,
        List.of(
            new ContainerMount.Squashfs(hostile, 0, hostileLength, IMAGE),
            new ContainerMount.OverlayOnSquashfs(hostile, 0, hostileLength, ASSETS)),
        null,
        ids);
  }

  @Test
  void aDeviceNodeInAPackageImageReachesNoHostDiskThroughAnyMountOfOurs() throws Exception {
    try (ServiceContainer c = containers.create(hostileSpec(unique("dev"), ContainerIds.FIRST))) {
      ContainerPath sub = c.subcontainerFs(IMAGE, "g1", "sub");
      for (ContainerPath node :
          List.of(
              IMAGE.resolve("disk"), // the image itself
              ASSETS.resolve("disk"), // an overlay over it
              sub.resolve("disk"))) { // a subcontainer's overlay over it
        assertThat(sh(c, "ls -l " + node)).as("the node is there").startsWith("b");
        String read = sh(c, "head -c 64 " + node + " 2>&1; echo \" exit $?\"");
        assertThat(read).as(node.value()).doesNotContain(SECRET).contains("exit 1");
        assertThat(read).as(node.value()).containsAnyOf("Permission denied", "not permitted");
        String written = sh(c, "echo owned > " + node + " 2>&1; echo \" exit $?\"");
        assertThat(written).as(node.value()).doesNotContain(" exit 0");
      }
    }
    assertThat(Files.readString(dir.resolve("disk.img"), UTF_8)).startsWith(SECRET);
  }

  @Test
  void theDeviceCgroupStopsADeviceNodeThatGetsPastNodev() throws Exception {
    try (ServiceContainer c = containers.create(hostileSpec(unique("cg"), ContainerIds.FIRST))) {
      // A mount made without nodev, as a mistake somewhere would make one: the node is usable on
      // it as far as the mount goes, and the device cgroup is what still says no.
      Host host = containers.host();
      ContainerDirs dirs = ContainerDirs.of(host.settings(), c.name());
      ContainerPath at = ContainerPath.of("/media/careless");
      Fd tree =
          new Fd(
              host.sys(),
              host.sys()
                  .check(
                      host.sys()
                          .openTree(
                              Syscalls.AT_FDCWD,
                              dirs.mount("image-1").toString(),
                              Syscalls.OPEN_TREE_CLONE | Syscalls.O_CLOEXEC),
                      "cloning the image"));
      try {
        host.sys()
            .check(
                host.sys().mountSetattr(tree.value(), 0, 0, Syscalls.MOUNT_ATTR_NODEV, 0, -1),
                "clearing nodev");
        try (Fd root = host.inRoot().openRoot(dirs.rootfs());
            Fd target = host.inRoot().directory(root, at, c.ids())) {
          host.mounts().attach(tree, target, at);
        }
        // EPERM is the device cgroup's answer (nodev would say EACCES, "Permission denied").
        String read = sh(c, "head -c 64 /media/careless/disk 2>&1; echo \" exit $?\"");
        assertThat(read).doesNotContain(SECRET).contains("Operation not permitted");
      } finally {
        host.mounts().detach(tree.procPath(), at.value());
        tree.close();
      }
    }
  }

  @Test
  void aContainerCannotFillTheHostsMountTableWithSubcontainers() throws Exception {
    try (ServiceContainer c = containers.create(hostileSpec(unique("subs"), ContainerIds.FIRST))) {
      for (int i = 0; i < HotMounts.MAX_EACH; i++) {
        c.subcontainerFs(IMAGE, "s" + i, "sub");
      }
      assertThatThrownBy(() -> c.subcontainerFs(IMAGE, "one-more", "sub"))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
          .hasMessageContaining("256 subcontainers");
      assertThat(c.destroySubcontainerFs("s0")).isTrue();
      c.subcontainerFs(IMAGE, "one-more", "sub");
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void theKernelsLargerAttackSurfacesAreNotThereForAPackage() throws Exception {
    try (ServiceContainer c = containers.create(hostileSpec(unique("calls"), ContainerIds.FIRST))) {
      // ENOSYS (38) is our filter's answer: the kernel's own refusals are EPERM or EACCES, and
      // without the filter io_uring_setup and keyctl succeed for a container's root.
      assertThat(sh(c, IMAGE.resolve("calls").value()))
          .isEqualTo(
              """
              io_uring_setup errno 38
              io_uring_enter errno 38
              io_uring_register errno 38
              keyctl errno 38
              add_key errno 38
              request_key errno 38
              userfaultfd errno 38
              perf_event_open errno 38
              bpf errno 38
              """);
      // What a package does need still works: the runtime (node) answered to be created at all,
      // and an ordinary program runs.
      assertThat(sh(c, "echo fine")).isEqualTo("fine\n");
    }
  }

  @Test
  void aSetuidProgramInAPackageImageRaisesNobody() throws Exception {
    try (ServiceContainer c = containers.create(hostileSpec(unique("suid"), ContainerIds.FIRST))) {
      ContainerPath sub = c.subcontainerFs(IMAGE, "g1", "sub");
      for (ContainerPath program :
          List.of(IMAGE.resolve("euid"), ASSETS.resolve("euid"), sub.resolve("euid"))) {
        assertThat(sh(c, "stat -c %a " + program)).isEqualTo("4755\n");
        assertThat(sh(c, "su -s /bin/sh nobody -c " + program))
            .as(program.value())
            .isEqualTo("euid 65534\n");
      }
    }
  }

  @Test
  void eachContainerHasIdsOfItsOwnSoWhatOneMakesIsNobodysInAnother() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared-" + System.nanoTime()));
    ContainerIds a = ContainerIds.slot(3);
    ContainerIds b = ContainerIds.slot(4);
    Files.setAttribute(shared, "unix:uid", (int) a.base());
    try (ServiceContainer one = containers.create(withBind(unique("ida"), a, shared));
        ServiceContainer two = containers.create(withBind(unique("idb"), b, shared))) {
      assertThat(uidOf(one)).isEqualTo(a.base());
      assertThat(uidOf(two)).isEqualTo(b.base());
      sh(
          one,
          "echo mine > /media/startos/volumes/shared/f && chmod 644 /media/startos/volumes/shared/f");
      assertThat(Files.getAttribute(shared.resolve("f"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
          .isEqualTo((int) a.base());
      // To the other container, its root is not this one's: the file is nobody's and stays so.
      assertThat(sh(two, "stat -c %u /media/startos/volumes/shared/f")).isEqualTo("65534\n");
      assertThat(sh(two, "echo theirs >> /media/startos/volumes/shared/f 2>&1; true"))
          .contains("Permission denied");
      assertThat(sh(two, "chown 0 /media/startos/volumes/shared/f 2>&1; true"))
          .containsAnyOf("Operation not permitted", "Invalid argument");
      assertThat(shared.resolve("f")).hasContent("mine");
      // Their rootfs and private directories belong to each alone.
      assertThat(
              Files.getAttribute(
                  ContainerDirs.of(containers.host().settings(), one.name()).state(), "unix:gid"))
          .isEqualTo((int) a.base());
      // Two containers are never given overlapping ranges.
      assertThatThrownBy(() -> containers.create(withBind(unique("idc"), a, shared)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
          .hasMessageContaining("would share ids");
    }
  }

  @Test
  void theRuntimeLogIsReadOnlyAsTheRegularFileTheContainerWrote() throws Exception {
    Path secret = Files.writeString(dir.resolve("host-secret"), "root's eyes only\n");
    try (ServiceContainer c = containers.create(hostileSpec(unique("log"), ContainerIds.FIRST))) {
      sh(
          c,
          "rm -f /media/startos/logs/runtime.log && ln -s "
              + secret
              + " /media/startos/logs/runtime.log");
      assertThatThrownBy(c::openLog)
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FILESYSTEM))
          .hasMessageContaining("symbolic link");
      sh(c, "rm /media/startos/logs/runtime.log && mkfifo /media/startos/logs/runtime.log");
      assertThatThrownBy(c::openLog).hasMessageContaining("not a regular file");
      sh(c, "rm /media/startos/logs/runtime.log && echo fine > /media/startos/logs/runtime.log");
      try (var log = c.openLog().orElseThrow()) {
        var buffer = java.nio.ByteBuffer.allocate(64);
        log.read(buffer);
        assertThat(new String(buffer.array(), 0, buffer.position(), UTF_8)).isEqualTo("fine\n");
      }
      sh(c, "rm /media/startos/logs/runtime.log");
      assertThat(c.openLog()).isEmpty();
    }
  }

  private static ContainerSpec withBind(String name, ContainerIds ids, Path shared) {
    return new ContainerSpec(
        name,
        name,
        List.of(
            new ContainerMount.Bind(shared, "/media/startos/volumes/shared", Access.READ_WRITE)),
        null,
        ids);
  }

  private static long uidOf(ServiceContainer c) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(c.initPid()), "status"))) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.split("\\s+")[1]);
      }
    }
    throw new AssertionError("no Uid line");
  }

  private static String sh(ServiceContainer c, String script) throws Exception {
    return ContainersIT.sh(c, script);
  }

  private static String unique(String what) {
    return ContainersIT.unique("attack-" + what);
  }
}
