package dev.hearth.s9pk;

import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code make bench} figures for packages (issue "S9PK v2 packages"): BLAKE3 of a 1 GiB file with
 * our {@code util b3sum} code path against Debian's {@code b3sum --num-threads 1} on the same warm
 * file (anchors.md §2 measured b3sum the same way), and verifying a 1 GiB package (open, then every
 * file hash). Target: our MB/s at least 0.6 of b3sum's.
 *
 * <p>Workload: 1 GiB of pseudo-random bytes in {@code target/bench/} (made once), page cache warm,
 * one warm-up then five timed runs of each; medians are printed. Run: {@code make bench}, or {@code
 * scripts/bench.sh}.
 */
public final class S9pkBenchmarks {
  private static final long GIB = 1L << 30;
  private static final int RUNS = 5;

  private S9pkBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of("target/bench"));
    Path data = dir.resolve("rand1g.bin");
    Path pkg = dir.resolve("bench1g.s9pk");
    makeData(data);
    makePackage(data, pkg);
    warm(data);
    warm(pkg);
    System.out.println("BLAKE3 implementation: " + Blake3.implementation());
    Blake3Hash ours = Blake3.hashFile(data, Blake3.FileRead.MMAP);
    String theirs =
        run(List.of("b3sum", "--no-names", "--num-threads", "1", data.toString())).strip();
    if (!ours.hex().equals(theirs)) {
      throw new IllegalStateException("digests differ: ours " + ours + ", b3sum " + theirs);
    }
    double b3Mmap =
        median(() -> time(() -> run(List.of("b3sum", "--num-threads", "1", data.toString()))));
    double b3Read =
        median(() ->
            time(() -> run(List.of("b3sum", "--num-threads", "1", "--no-mmap", data.toString()))));
    double usMmap = median(() -> time(() -> Blake3.hashFile(data, Blake3.FileRead.MMAP)));
    double usRead = median(() -> time(() -> Blake3.hashFile(data, Blake3.FileRead.READ)));
    double verify = median(() -> time(() -> verifyPackage(pkg)));
    long pkgSize = Files.size(pkg);

    System.out.println();
    System.out.println(
        "| measurement (1 GiB, warm, median of 5) | seconds | MB/s | ratio to b3sum |");
    System.out.println("|---|---|---|---|");
    row("b3sum --num-threads 1 (mmap)", b3Mmap, GIB, "");
    row("util b3sum (mmap, in-process)", usMmap, GIB, ratio(b3Mmap, usMmap));
    row("b3sum --num-threads 1 --no-mmap", b3Read, GIB, "");
    row("util b3sum --no-mmap (in-process)", usRead, GIB, ratio(b3Read, usRead));
    row(
        "verify 1 GiB package (open + every hash)",
        verify,
        pkgSize,
        ratio(b3Mmap, verify * GIB / pkgSize));
    Path launcher = Path.of("../start-cli/target/start-cli");
    if (Files.isExecutable(launcher)) {
      double cli =
          median(() ->
              time(() -> run(List.of(launcher.toString(), "util", "b3sum", data.toString()))));
      row("start-cli util b3sum, whole process (JVM start included)", cli, GIB, ratio(b3Mmap, cli));
    }
  }

  private static void verifyPackage(Path pkg) {
    try (S9pk s = S9pk.open(pkg)) {
      s.archive().orElseThrow().verifyFiles();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void makeData(Path data) throws IOException {
    if (Files.exists(data) && Files.size(data) == GIB) {
      return;
    }
    SplittableRandom random = new SplittableRandom(2026);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(data)) {
      for (long done = 0; done < GIB; done += buf.length) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int b = 0; b < 8; b++) {
            buf[i + b] = (byte) (v >>> (8 * b));
          }
        }
        out.write(buf);
      }
    }
  }

  private static void makePackage(Path data, Path pkg) throws IOException {
    if (Files.exists(pkg)
        && Files.getLastModifiedTime(pkg).compareTo(Files.getLastModifiedTime(data)) > 0) {
      return;
    }
    Directory root =
        Directory.empty()
            .with("icon.png", Entry.file(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
            .with("LICENSE.md", Entry.file("MIT".getBytes(StandardCharsets.UTF_8)))
            .with("instructions.md", Entry.file("# Bench".getBytes(StandardCharsets.UTF_8)))
            .with("javascript.squashfs", Entry.file(new byte[4096]))
            .withPath("images/x86_64/main.squashfs", Entry.file(data))
            .withPath("images/x86_64/main.json", Entry.file("{}".getBytes(StandardCharsets.UTF_8)))
            .withPath("images/x86_64/main.env", Entry.file(new byte[0]));
    try (InputStream in = S9pkBenchmarks.class.getResourceAsStream("manifest.json")) {
      var manifest = dev.hearth.s9pk.manifest.ManifestJson.parse(in.readAllBytes());
      try (S9pk s = S9pk.of(manifest, root)) {
        s.writeSigned(pkg, TestPackages.KEY);
      }
    }
  }

  private static void warm(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static double median(Supplier<Double> measure) {
    measure.get(); // warm-up
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      times.add(measure.get());
    }
    times.sort(null);
    return times.get(RUNS / 2);
  }

  private static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void row(String what, double seconds, long bytes, String ratio) {
    System.out.printf(
        Locale.ROOT, "| %s | %.3f | %.0f | %s |%n", what, seconds, bytes / 1e6 / seconds, ratio);
  }

  private static String ratio(double baselineSeconds, double seconds) {
    return String.format(Locale.ROOT, "%.2f", baselineSeconds / seconds);
  }
}
