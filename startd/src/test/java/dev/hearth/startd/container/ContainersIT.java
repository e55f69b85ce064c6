package dev.hearth.startd.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real LXC containers from a busybox runtime image, unprivileged, on a bridge inside a network
 * namespace this class creates (so no 10.x packet can leave the machine; the test itself talks only
 * to 127.0.0.1). Needs root and Debian's lxc: it fails, rather than skips, without them, because CI
 * runs as root with lxc installed.
 */
class ContainersIT {
  private static final ContainerPath IMAGE = ContainerPath.of("/media/startos/images/main");
  private static final Limits LIMITS = new Limits(64L << 20, 256, 512, 50);

  private static Path dir;
  private static BusyboxImages images;
  private static TestNetwork net;
  private static ContainerSettings settings;
  private static Containers containers;

  @BeforeAll
  static void setUp() throws Exception {
    assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        .as("ContainersIT needs root (CI runs `make test` as root)")
        .isEqualTo(0);
    assertThat(Path.of("/usr/bin/lxc-start"))
        .as("ContainersIT needs Debian's lxc: scripts/deps.sh installs it")
        .isExecutable();
    // Container root (host uid 100000) must be able to traverse the way to its rootfs.
    dir =
        Files.createTempDirectory(
            "hearth-cit",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    images = BusyboxImages.build(dir.resolve("images"));
    net = TestNetwork.create();
    settings = settings("main", net.bridge(), net.subnet());
    containers = Containers.open(settings);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (containers != null) {
        containers.close();
        assertThat(containers.leftovers()).isEmpty();
      }
    } finally {
      if (net != null) {
        net.delete();
        assertThat(net.exists()).isFalse();
      }
      if (dir != null) {
        FileTrees.delete(dir);
      }
    }
  }

  @Test
  void aContainerRunsUnprivilegedWithItsImageVolumeAssetsAndFilesInPlace() throws Exception {
    Path volume = volume("basic");
    String runtimeHash = sha256(images.runtime());
    String packageHash = sha256(images.packageFile());
    String name = unique("basic");
    long t0 = System.nanoTime();
    ServiceContainer c = containers.create(spec(name, volume));
    long createMs = (System.nanoTime() - t0) / 1_000_000;
    try {
      assertThat(c.isRunning()).isTrue();
      assertThat(Files.readAllLines(Path.of("/proc", Long.toString(c.initPid()), "status")))
          .anyMatch(l -> l.matches("Uid:\\s+100000\\s+100000\\s+100000\\s+100000"));

      Path marker = c.logFile().resolveSibling("marker");
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(marker));
      assertThat(marker).content().startsWith("booted as 0 on svc-" + name);
      assertThat(c.logFile()).content().contains("runtime started");
      assertThat(sh(c, "hostname; cat /etc/hostname; cat /etc/resolv.conf"))
          .isEqualTo(
              "svc-%s\nsvc-%s\nnameserver %s\n"
                  .formatted(name, name, containers.hostAddress().getHostAddress()));

      // The image: at its offset inside the package file, owned by container root, read-only.
      assertThat(sh(c, "stat -c %u:%g /media/startos/images/main/image-marker")).isEqualTo("0:0\n");
      assertThat(sh(c, "cat /media/startos/images/main/image-marker"))
          .isEqualTo("from the image\n");
      assertThat(sh(c, "touch /media/startos/images/main/x 2>&1; true"))
          .contains("Read-only file system");
      assertThat(
              sh(
                  c,
                  "cat /media/startos/images/main.env; stat -c %u /media/startos/images/main.env"))
          .isEqualTo("PATH=/bin:/usr/bin\n0\n");

      // The rootfs: writes land in the container's upper layer; the runtime image never changes.
      ContainerDirs dirs = ContainerDirs.of(settings, name);
      sh(c, "echo upper > /root/written && rm /usr/lib/startos/init/boot");
      assertThat(dirs.upper("rootfs").resolve("root/written")).hasContent("upper");
      assertThat(owner(dirs.upper("rootfs").resolve("root/written"))).isEqualTo(100_000);
      assertThat(sh(c, "ls /usr/lib/startos/init/")).isEmpty();

      // The volume: writable, and what the container writes is owned by 100000 on the host.
      sh(c, "echo data > /media/startos/volumes/main/file");
      assertThat(volume.resolve("file")).hasContent("data");
      assertThat(owner(volume.resolve("file"))).isEqualTo(100_000);

      // Assets: writable over a read-only squashfs, the writes in a layer of their own.
      assertThat(sh(c, "cat /media/startos/assets/asset.txt")).isEqualTo("an asset\n");
      sh(c, "echo more >> /media/startos/assets/asset.txt");
      assertThat(dirs.upper("asset-2").resolve("asset.txt")).hasContent("an asset\nmore");

      // The rpc directory is shared with the host.
      sh(c, "echo hi > /media/startos/rpc/probe");
      assertThat(c.rpcDir().resolve("probe")).hasContent("hi");

      // Memory is the working set: 24 MiB written once is file cache the kernel takes back first,
      // and is not counted.
      sh(
          c,
          "dd if=/dev/zero of=/media/startos/volumes/main/big bs=1M count=24 2>/dev/null && sync");
      Stats stats = c.stats();
      assertThat(stats.memoryBytes()).isBetween(1L, 12L << 20);
      assertThat(stats.memoryLimitBytes()).isEqualTo(64L << 20);
      assertThat(stats.pids()).isBetween(2L, 256L);

      long t1 = System.nanoTime();
      c.close();
      long closeMs = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf(
          "ContainersIT figures: create->RUNNING %d ms, close %d ms, idle busybox memory %d KiB"
              + " (cgroup working set), %d pids%n",
          createMs, closeMs, stats.memoryBytes() / 1024, stats.pids());
    } finally {
      c.close();
    }
    assertThat(sha256(images.runtime())).isEqualTo(runtimeHash);
    assertThat(sha256(images.packageFile())).isEqualTo(packageHash);
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void httpdInsideAnswersThroughAForwardOnLoopbackUntilTheForwardCloses() throws Exception {
    try (ServiceContainer c = containers.create(spec(unique("fwd"), volume("fwd")))) {
      PortForward f = containers.forward(0, new InetSocketAddress(c.ip(), 8000));
      assertThat(f.listenAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      URI page = URI.create("http://127.0.0.1:" + f.port() + "/index.html");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> response =
          await()
              .atMost(Duration.ofSeconds(10))
              .ignoreExceptions()
              .until(
                  () ->
                      http.send(
                          HttpRequest.newBuilder(page).build(),
                          HttpResponse.BodyHandlers.ofString()),
                  r -> r.statusCode() == 200);
      assertThat(response.body()).isEqualTo(BusyboxImages.PAGE);

      f.close();
      HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThatThrownBy(() ->
              fresh.send(
                  HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aSubcontainerMountedAfterStartIsVisibleInsideOwnedByContainerRootAndDestroyable()
      throws Exception {
    String name = unique("sub");
    try (ServiceContainer c = containers.create(spec(name, volume("sub")))) {
      ContainerPath at = c.subcontainerFs(IMAGE, "g1", "sub-host");
      assertThat(at).isEqualTo(ContainerPath.of("/media/startos/subcontainers/g1"));
      String root = at.value();
      assertThat(sh(c, "ls " + root)).contains("image-marker").contains("bin");
      assertThat(
              sh(
                  c,
                  "stat -c %u:%g " + root + " " + root + "/image-marker " + root + "/etc/hostname"))
          .isEqualTo("0:0\n0:0\n0:0\n");
      assertThat(sh(c, "cat " + root + "/etc/hostname")).isEqualTo("sub-host\n");
      assertThat(sh(c, "cat " + root + "/etc/hosts")).contains("127.0.1.1\tsub-host");
      assertThatThrownBy(() -> c.subcontainerFs(IMAGE, "g1", "again"))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DUPLICATE));
      assertThatThrownBy(
              () -> c.subcontainerFs(ContainerPath.of("/media/startos/images/none"), "g2", "x"))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));

      // A subcontainer as the runtime makes one: its own PID and mount namespaces, chrooted.
      sh(
          c,
          "unshare -p -m -f chroot "
              + root
              + " /bin/sh -c 'mount -t proc proc /proc; echo sub > /root/in-sub; exec sleep 1001'"
              + " </dev/null >/dev/null 2>&1 &");
      await().atMost(Duration.ofSeconds(10)).until(() -> sh(c, "ps").contains("sleep 1001"));
      Path upper = ContainerDirs.of(settings, name).upper("sub-g1");
      assertThat(upper.resolve("root/in-sub")).hasContent("sub");
      assertThat(owner(upper.resolve("root/in-sub"))).isEqualTo(100_000);

      assertThat(c.destroySubcontainerFs("g1")).isTrue();
      assertThat(sh(c, "ps")).doesNotContain("sleep 1001");
      assertThat(sh(c, "ls -A " + root + " 2>/dev/null; true")).isEmpty();
      assertThat(upper.getParent()).doesNotExist();
      assertThat(MountTable.read()).noneMatch(m -> m.mountPoint().toString().endsWith("/g1"));
      assertThat(c.destroySubcontainerFs("g1")).isFalse();
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void hotMountsStayInsideTheRootfsWhateverSymlinksTheContainerPlants() throws Exception {
    String name = unique("esc");
    Path outside = Files.createDirectories(dir.resolve("outside-" + name));
    Path source = volume("esc-src");
    Files.writeString(source.resolve("from-host"), "x");
    try (ServiceContainer c = containers.create(spec(name, volume("esc")))) {
      Path rootfs = ContainerDirs.of(settings, name).rootfs();
      List<Path> before = mountPoints();

      // The subcontainers directory replaced by a symlink to a host path: dangling inside the
      // container's root, where it is resolved, so the mount is refused...
      sh(
          c,
          "rm -rf /media/startos/subcontainers && ln -s "
              + outside
              + " /media/startos/subcontainers");
      assertThatThrownBy(() -> c.subcontainerFs(IMAGE, "esc0", "esc"))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
      assertThat(mountPoints()).containsExactlyInAnyOrderElementsOf(before);
      // ...and once that path exists inside, it is used.
      sh(c, "mkdir -p " + outside);
      c.subcontainerFs(IMAGE, "esc1", "esc");
      // A relative symlink climbing far above the root, and one to /.
      sh(c, "mkdir -p /media/x && ln -s ../../../../../../../../.." + outside + " /media/x/up");
      c.bindInto(source, ContainerPath.of("/media/x/up/bound"), Access.READ_ONLY, List.of());
      sh(c, "ln -s / /media/root-link");
      c.bindInto(
          source,
          ContainerPath.of("/media/root-link" + outside + "/via-root"),
          Access.READ_ONLY,
          List.of());

      // What the container mounts itself stays in its own mount namespace.
      sh(c, "mkdir -p /tmp/own && mount -t tmpfs own /tmp/own");

      // Nothing reached the host: every new mount is inside the container's rootfs...
      List<Path> added = new ArrayList<>(mountPoints());
      added.removeAll(before);
      assertThat(added).hasSize(3).allMatch(p -> p.startsWith(rootfs));
      try (var list = Files.list(outside)) {
        assertThat(list).isEmpty();
      }
      // ...where the container, following its own links, finds them.
      assertThat(sh(c, "ls " + outside + "/esc1")).contains("image-marker");
      assertThat(sh(c, "cat " + outside + "/bound/from-host " + outside + "/via-root/from-host"))
          .isEqualTo("xx");

      // Moving things around afterwards does not make an unmount act elsewhere.
      sh(c, "mv /media/x /media/moved");
      assertThat(c.unmount(ContainerPath.of("/media/x/up/bound"))).isTrue();
      assertThat(c.destroySubcontainerFs("esc1")).isTrue();
      assertThat(c.unmount(ContainerPath.of("/media/root-link" + outside + "/via-root"))).isTrue();
      assertThat(mountPoints()).containsExactlyInAnyOrderElementsOf(before);
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void bindIntoShowsOwnersAsMappedReplacesWhatWasThereAndUnmounts() throws Exception {
    Path other = volume("other");
    Path file = Files.writeString(other.resolve("owned-by-1000"), "x");
    Files.setAttribute(file, "unix:uid", 101_000);
    ContainerPath at = ContainerPath.of("/media/startos/volumes/other");
    try (ServiceContainer c = containers.create(spec(unique("bind"), volume("bind")))) {
      c.bindInto(other, at, Access.READ_ONLY, List.of(new IdMap(101_000, 0, 1)));
      assertThat(sh(c, "stat -c %u " + at + "/owned-by-1000")).isEqualTo("0\n");
      assertThat(sh(c, "touch " + at + "/new 2>&1; true")).contains("Read-only file system");

      c.bindInto(other, at, Access.READ_WRITE, List.of());
      assertThat(sh(c, "stat -c %u " + at + "/owned-by-1000")).isEqualTo("1000\n");
      sh(c, "touch " + at + "/new");
      assertThat(owner(other.resolve("new"))).isEqualTo(100_000);

      assertThat(c.unmount(at)).isTrue();
      assertThat(sh(c, "ls -A " + at)).isEmpty();
      assertThat(c.unmount(at)).isFalse();
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void aSubpathOfSomeoneElsesVolumeCannotLinkTheBindOutOfIt() throws Exception {
    Path other = volume("linked");
    Path secret = Files.createDirectories(dir.resolve("host-secret"));
    Files.writeString(secret.resolve("key"), "host only");
    Files.createDirectories(other.resolve("data/inner"));
    Files.writeString(other.resolve("data/inner/shared"), "shared");
    // What the other package can plant in its own volume:
    Files.createSymbolicLink(other.resolve("absolute"), secret);
    Files.createSymbolicLink(other.resolve("climbing"), Path.of("../../host-secret"));
    Files.createSymbolicLink(other.resolve("inside"), Path.of("data/inner"));
    ContainerPath at = ContainerPath.of("/media/startos/volumes/other");
    try (ServiceContainer c = containers.create(spec(unique("subpath"), volume("subpath")))) {
      List<Path> before = mountPoints();
      for (String escape : List.of("absolute", "climbing")) {
        assertThatThrownBy(() -> c.bindInto(other, escape, at, Access.READ_ONLY, List.of()))
            .as(escape)
            .isInstanceOf(StartException.class)
            .hasMessageContaining("links out of it");
      }
      for (String bad : List.of("../host-secret", "/etc", "data/../..")) {
        assertThatThrownBy(() -> c.bindInto(other, bad, at, Access.READ_ONLY, List.of()))
            .as(bad)
            .isInstanceOfSatisfying(
                StartException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
      }
      assertThat(mountPoints()).containsExactlyInAnyOrderElementsOf(before);

      c.bindInto(other, "inside", at, Access.READ_ONLY, List.of()); // a link that stays inside
      assertThat(sh(c, "cat " + at + "/shared")).isEqualTo("shared");
      c.bindInto(other, "data/inner", at, Access.READ_ONLY, List.of());
      assertThat(sh(c, "ls " + at)).isEqualTo("shared\n");
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void containersCreatedAtOnceGetTheirOwnAddressesAndAllRun() throws Exception {
    List<ServiceContainer> made = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ServiceContainer>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String name = unique("many" + i);
        ContainerIds ids = ContainerIds.slot(10 + i); // running side by side: ranges of their own
        Path v = volume("many" + i, ids);
        futures.add(pool.submit(() -> containers.create(spec(name, v, ids))));
      }
      for (var f : futures) {
        made.add(f.get());
      }
      assertThat(made).allMatch(ServiceContainer::isRunning);
      assertThat(made.stream().map(ServiceContainer::ip).distinct()).hasSize(3);
      PortForward f = containers.forward(0, new InetSocketAddress(made.get(2).ip(), 8000));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI page = URI.create("http://127.0.0.1:" + f.port() + "/");
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                          HttpRequest.newBuilder(page).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body(),
              BusyboxImages.PAGE::equals);
      f.close();
    } finally {
      made.forEach(ServiceContainer::close);
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void attachRunsACommandWithOnlyTheGivenEnvironmentOnPipesOrAPty() throws Exception {
    try (ServiceContainer c = containers.create(spec(unique("attach"), volume("attach")))) {
      ProcessBuilder pb =
          c.attach(
              List.of("/bin/sh", "-c", "echo \"[$SECRET][$JAVA_HOME][$(id -u)]\"; tty || true"),
              Map.of("SECRET", "s3 cr3t"),
              Terminal.PIPES);
      assertThat(pb.command()).noneMatch(a -> a.contains("s3 cr3t")); // not on a command line
      assertThat(run(pb)).isEqualTo("[s3 cr3t][][0]\nnot a tty\n");

      String pty = run(c.attach(List.of("tty"), Map.of(), Terminal.PTY));
      assertThat(pty.strip()).startsWith("/dev/pts/");
    }
  }

  private static String run(ProcessBuilder pb) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void closeLeavesNoMountLoopDeviceCgroupVethOrDirectory() throws Exception {
    String name = unique("close");
    ServiceContainer c = containers.create(spec(name, volume("close")));
    c.subcontainerFs(IMAGE, "left", "left");
    c.bindInto(volume("close-src"), ContainerPath.of("/media/bound"), Access.READ_WRITE, List.of());
    containers.forward(0, new InetSocketAddress(c.ip(), 8000));
    assertThat(containers.leftovers()).isEmpty(); // all of it belongs to a live container

    c.close();
    c.close(); // idempotent
    assertThat(c.isRunning()).isFalse();
    assertThat(containers.leftovers()).isEmpty();
    assertThat(Path.of("/sys/fs/cgroup/memory/lxc.payload." + name)).doesNotExist();
    assertThat(ContainerDirs.of(settings, name).state()).doesNotExist();
    assertThatThrownBy(() -> c.subcontainerFs(IMAGE, "late", "late"))
        .isInstanceOf(StartException.class);
  }

  @Test
  void aFailedCreateLeavesNothingAndFreesTheName() throws Exception {
    String name = unique("fail");
    Path volume = volume("fail");
    ContainerSpec broken =
        new ContainerSpec(
            name,
            "fail",
            List.of(new ContainerMount.Squashfs(images.packageFile(), 7, 4096, IMAGE)),
            LIMITS,
            ContainerIds.FIRST);
    assertThatThrownBy(() -> containers.create(broken))
        .isInstanceOfSatisfying(
            StartException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.FILESYSTEM);
              assertThat(e.getMessage())
                  .contains("squashfs")
                  .contains(images.packageFile().toString());
            });
    assertThat(containers.leftovers()).isEmpty();
    try (ServiceContainer c = containers.create(spec(name, volume))) {
      assertThat(c.isRunning()).isTrue();
      assertThatThrownBy(() -> containers.create(spec(name, volume)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DUPLICATE));
    }
  }

  @Test
  void aSubnetThatOverlapsAnotherInterfaceIsRefusedBeforeTheBridgeTakesIt() throws Exception {
    // As Debian's lxc-net does with lxcbr0: another bridge in the namespace holds the subnet.
    String other = "lx" + net.bridge().substring(2);
    BusyboxImages.run("ip", "-n", net.netns(), "link", "add", other, "type", "bridge");
    try {
      BusyboxImages.run("ip", "-n", net.netns(), "addr", "add", "10.252.7.1/24", "dev", other);
      ContainerSettings clashing = settings("clash", net.bridge(), "10.252.7.0/24");
      assertThatThrownBy(() -> Containers.open(clashing))
          .isInstanceOfSatisfying(
              StartException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
                assertThat(e.getMessage())
                    .contains("10.252.7.0/24 overlaps 10.252.7.1/24 on " + other)
                    .contains("--subnet");
              });
      assertThat(BusyboxImages.output("ip", "-n", net.netns(), "-4", "addr", "show", net.bridge()))
          .doesNotContain("10.252.7.1");
    } finally {
      BusyboxImages.run("ip", "-n", net.netns(), "link", "delete", other);
    }
  }

  @Test
  void aContainerWhoseInitCannotRunFailsWithTheEndOfLxcsLog() throws Exception {
    Path broken = BusyboxImages.brokenRuntime(dir.resolve("images"));
    ContainerSettings s = settings("broken", net.bridge(), "10.251.0.0/24", broken);
    try (Containers other = Containers.open(s)) {
      String name = unique("broken");
      assertThatThrownBy(() -> other.create(new ContainerSpec(name, "broken", List.of())))
          .isInstanceOfSatisfying(
              StartException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.LXC);
                assertThat(e.getMessage())
                    .contains(name)
                    .contains("lxc.log")
                    .contains("/usr/lib/startos/init/boot");
              });
      assertThat(other.leftovers()).isEmpty();
    }
  }

  @Test
  void leftoversReportsMountsAndDirectoriesNoContainerOwns() throws Exception {
    Path stray = settings.mountRoot().resolve("it-stray");
    Files.createDirectories(stray);
    BusyboxImages.run("mount", "-t", "tmpfs", "stray", stray.toString());
    try {
      assertThat(containers.leftovers())
          .containsExactly("mount " + stray + " (tmpfs stray)", "directory " + stray);
    } finally {
      BusyboxImages.run("umount", stray.toString());
      Files.delete(stray);
    }
    assertThat(containers.leftovers()).isEmpty();
  }

  @Test
  void openingAgainCleansUpWhatACrashedRunLeft() throws Exception {
    // Its own paths and bridge: opening cleans the whole LXC path, and this test's containers
    // must not be swept.
    ContainerSettings crashed =
        settings(
            "crash", "brc" + Long.toHexString(System.nanoTime() & 0xffffff), "10.250.250.0/24");
    String name = unique("crash");
    Process run =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashedRun.class.getName(),
                crashed.lxcPath().toString(),
                crashed.mountRoot().toString(),
                crashed.runtimeImage().toString(),
                crashed.bridge(),
                crashed.subnet(),
                net.netns(),
                name,
                images.packageFile().toString(),
                Long.toString(images.image().offset()),
                Long.toString(images.image().length()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String said;
    try (var out = new BufferedReader(new InputStreamReader(run.getInputStream(), UTF_8))) {
      said = out.readLine();
      while (said != null && !said.startsWith("READY")) { // skip its log lines
        said = out.readLine();
      }
    } finally {
      run.destroyForcibly(); // SIGKILL: no close(), no shutdown hook
      assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    Lxc lxc = new Lxc(crashed.lxcPath());
    boolean leftRunning = lxc.info(name).running();
    List<MountTable.Mount> leftMounted = MountTable.under(MountTable.read(), crashed.mountRoot());

    try (Containers again = Containers.open(crashed)) { // opened even if the run failed: it cleans
      assertThat(said).isEqualTo("READY " + name);
      assertThat(leftRunning).isTrue();
      assertThat(leftMounted).hasSizeGreaterThan(3); // root, runtime, image, rootfs, subcontainer
      assertThat(lxc.info(name).running()).isFalse();
      assertThat(again.leftovers()).isEmpty();
      again.close();
      assertThat(again.leftovers()).isEmpty();
    }
  }

  static ContainerSettings settings(String id, String bridge, String subnet) {
    return settings(id, bridge, subnet, images.runtime());
  }

  static ContainerSettings settings(String id, String bridge, String subnet, Path runtimeImage) {
    return new ContainerSettings(
        dir.resolve(id + "-lxc"),
        dir.resolve(id + "-mnt"),
        runtimeImage,
        bridge,
        subnet,
        net.netns(),
        "127.0.0.1",
        LIMITS);
  }

  static ContainerSpec spec(String name, Path volume) {
    return spec(name, volume, ContainerIds.FIRST);
  }

  static ContainerSpec spec(String name, Path volume, ContainerIds ids) {
    return new ContainerSpec(
        name,
        "svc-" + name,
        List.of(
            new ContainerMount.Squashfs(
                images.packageFile(), images.image().offset(), images.image().length(), IMAGE),
            new ContainerMount.OverlayOnSquashfs(
                images.packageFile(),
                images.assets().offset(),
                images.assets().length(),
                "/media/startos/assets"),
            new ContainerMount.Bind(volume, "/media/startos/volumes/main", Access.READ_WRITE),
            new ContainerMount.File("PATH=/bin:/usr/bin\n".getBytes(UTF_8), IMAGE + ".env")),
        LIMITS,
        ids);
  }

  /** Runs a shell script in the container as its root; it must succeed. */
  static String sh(ServiceContainer c, String script) throws Exception {
    Process p =
        c.attach(List.of("/bin/sh", "-c", script), Map.of(), Terminal.PIPES)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s ->%n%s", script, out).isZero();
    return out;
  }

  static String unique(String what) {
    return "it-"
        + what
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  /** A volume directory owned by container root, as volumes are. */
  static Path volume(String name) throws Exception {
    return volume(name, ContainerIds.FIRST);
  }

  static Path volume(String name, ContainerIds ids) throws Exception {
    Path v =
        Files.createDirectories(dir.resolve("volumes").resolve(name + "-" + System.nanoTime()));
    Files.setAttribute(v, "unix:uid", ids.root());
    Files.setAttribute(v, "unix:gid", ids.root());
    return v;
  }

  static int owner(Path p) throws Exception {
    return (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  static List<Path> mountPoints() {
    return MountTable.read().stream().map(MountTable.Mount::mountPoint).toList();
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
