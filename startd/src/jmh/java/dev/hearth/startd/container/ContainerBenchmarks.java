package dev.hearth.startd.container;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The container subsystem's figures, on real LXC with the busybox test images (the runtime
 * squashfs, an image and assets inside a package file, a volume, a file), in a network namespace of
 * its own, {@value #ROUNDS} rounds after {@value #WARM_UP} unmeasured ones:
 *
 * <ul>
 *   <li>{@code create}: {@link Containers#create} until LXC reports RUNNING; {@code boot}: until
 *       the init has written its marker;
 *   <li>idle memory of the container one second after boot (its working set, as package.stats);
 *   <li>a subcontainer's {@code subcontainerFs} and {@code destroySubcontainerFs};
 *   <li>{@code close}: {@link ServiceContainer#close}, everything unmounted and deleted.
 * </ul>
 *
 * The baseline is LXC alone: {@code lxc-start -d} and {@code lxc-stop} of the same, already mounted
 * container, so the difference is what our mounts, config and clean-up cost. Needs root and lxc.
 * Run with {@code make bench}.
 */
public final class ContainerBenchmarks {
  private static final int ROUNDS = 10;
  private static final int WARM_UP = 2;

  private ContainerBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Path dir =
        Files.createTempDirectory(
            "hearth-bench-containers",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    BusyboxImages images = BusyboxImages.build(dir.resolve("images"));
    TestNetwork net = TestNetwork.create();
    ContainerSettings settings =
        new ContainerSettings(
            dir.resolve("lxc"),
            dir.resolve("mnt"),
            images.runtime(),
            net.bridge(),
            net.subnet(),
            net.netns(),
            "127.0.0.1",
            new Limits(256L << 20, 512, 0, 0));
    Path volume = Files.createDirectories(dir.resolve("volume"));
    Files.setAttribute(volume, "unix:uid", 100_000);
    Files.setAttribute(volume, "unix:gid", 100_000);
    ContainerPath image = ContainerPath.of("/media/startos/images/main");
    List<Double> create = new ArrayList<>();
    List<Double> boot = new ArrayList<>();
    List<Double> memoryKib = new ArrayList<>();
    List<Double> subMount = new ArrayList<>();
    List<Double> subDestroy = new ArrayList<>();
    List<Double> close = new ArrayList<>();
    List<Double> lxcStart = new ArrayList<>();
    List<Double> lxcStop = new ArrayList<>();
    try (Containers containers = Containers.open(settings)) {
      for (int i = 0; i < WARM_UP + ROUNDS; i++) {
        boolean measured = i >= WARM_UP;
        String name = "bench-" + i;
        long t0 = System.nanoTime();
        ServiceContainer c = containers.create(spec(name, images, volume, image));
        long t1 = System.nanoTime();
        Path marker = c.logFile().resolveSibling("marker");
        while (!Files.exists(marker)) {
          Thread.onSpinWait();
        }
        long t2 = System.nanoTime();
        Thread.sleep(1000);
        long memory = c.stats().memoryBytes();
        long t3 = System.nanoTime();
        c.subcontainerFs(image, "sub", "sub");
        long t4 = System.nanoTime();
        c.destroySubcontainerFs("sub");
        long t5 = System.nanoTime();
        c.close();
        long t6 = System.nanoTime();
        if (measured) {
          create.add(ms(t0, t1));
          boot.add(ms(t0, t2));
          memoryKib.add(memory / 1024.0);
          subMount.add(ms(t3, t4));
          subDestroy.add(ms(t4, t5));
          close.add(ms(t5, t6));
        }
      }
      ServiceContainer c = containers.create(spec("bench-raw", images, volume, image));
      Lxc lxc = new Lxc(settings.lxcPath());
      lxc.stop("bench-raw", ServiceContainer.STOP_GRACE);
      for (int i = 0; i < WARM_UP + ROUNDS; i++) {
        double start =
            time(() -> lxc.start("bench-raw", dir.resolve("unused.log"), dir.resolve("mon.pid")));
        double stop = time(() -> lxc.stop("bench-raw", ServiceContainer.STOP_GRACE));
        if (i >= WARM_UP) {
          lxcStart.add(start);
          lxcStop.add(stop);
        }
      }
      c.close();
      if (!containers.leftovers().isEmpty()) {
        throw new IllegalStateException("left behind: " + containers.leftovers());
      }
    } finally {
      net.delete();
      FileTrees.delete(dir);
    }
    System.out.println("containers (" + ROUNDS + " rounds; median, min..max)");
    row("create -> RUNNING", create, "ms");
    row("create -> init ran", boot, "ms");
    row("idle memory (working set)", memoryKib, "KiB");
    row("subcontainerFs", subMount, "ms");
    row("destroySubcontainerFs", subDestroy, "ms");
    row("close", close, "ms");
    row("baseline lxc-start -d", lxcStart, "ms");
    row("baseline lxc-stop", lxcStop, "ms");
  }

  private static ContainerSpec spec(
      String name, BusyboxImages images, Path volume, ContainerPath image) {
    return new ContainerSpec(
        name,
        name,
        List.of(
            new ContainerMount.Squashfs(
                images.packageFile(), images.image().offset(), images.image().length(), image),
            new ContainerMount.OverlayOnSquashfs(
                images.packageFile(),
                images.assets().offset(),
                images.assets().length(),
                "/media/startos/assets"),
            new ContainerMount.Bind(volume, "/media/startos/volumes/main", Access.READ_WRITE),
            new ContainerMount.File(
                "PATH=/bin\n".getBytes(StandardCharsets.UTF_8), image + ".env")));
  }

  private static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return ms(t0, System.nanoTime());
  }

  private static double ms(long from, long to) {
    return (to - from) / 1e6;
  }

  private static void row(String what, List<Double> samples, String unit) {
    List<Double> s = new ArrayList<>(samples);
    Collections.sort(s);
    System.out.printf(
        Locale.ROOT,
        "  %-24s %8.1f %s  (%.1f..%.1f)%n",
        what,
        s.get(s.size() / 2),
        unit,
        s.getFirst(),
        s.getLast());
  }
}
