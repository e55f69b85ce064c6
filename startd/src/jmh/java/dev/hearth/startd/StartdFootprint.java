package dev.hearth.startd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * startd's footprint (issue 16), on the real daemon jar launched as {@code make run} launches it:
 * production's JVM flags ({@code src/main/dist/jvm.options}) and the AOT cache the build trained
 * ({@code target/startd.aot}) when there is one.
 *
 * <ul>
 *   <li>idle RSS after setup: a fresh server set up, then its VmRSS (/proc/PID/status) once settled
 *       (the median of readings 5, 6 and 7 s after setup ended), {@value #RUNS} servers;
 *   <li>start to ready: from spawning {@code java} to the daemon's "startd ready" line, a set-up
 *       server started {@value #RUNS} times, and its idle RSS the same way after each start.
 * </ul>
 *
 * Targets: idle after setup ≤ 100 MiB, start to ready ≤ 600 ms (medians). Extra JVM flags for an
 * experiment: {@code HEARTH_BENCH_JVM}. Run with {@code make bench}.
 */
public final class StartdFootprint {
  private static final int RUNS = 5;

  private StartdFootprint() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "bench-footprint");
    List<String> jvm = jvm();
    System.err.println("[bench] startd with " + String.join(" ", jvm));

    List<Double> afterSetup = new ArrayList<>();
    List<Integer> threads = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      try (var startd = StartdProcess.start(work.resolve("server-" + i), jvm)) {
        Servers.setUp(startd, "Footprint");
        afterSetup.add(settledRssMib(startd.process().pid()));
        threads.add((int) status(startd.process().pid(), "Threads"));
      }
    }

    List<Double> readyMs = new ArrayList<>();
    List<Double> afterStart = new ArrayList<>();
    Path server = work.resolve("server-0");
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      try (var startd = StartdProcess.start(server, jvm)) {
        readyMs.add((System.nanoTime() - t0) / 1e6);
        afterStart.add(settledRssMib(startd.process().pid()));
      }
    }

    System.out.println();
    System.out.println(
        "startd footprint (production JVM flags and AOT cache, as make run starts it)");
    System.out.printf(
        Locale.ROOT,
        "  idle RSS after setup      median %6.1f MiB (runs %s; %s threads)  target <= 100 MiB%n",
        median(afterSetup),
        rounded(afterSetup),
        threads);
    System.out.printf(
        Locale.ROOT,
        "  start to ready (set up)   median %6.0f ms  (runs %s)  target <= 600 ms%n",
        median(readyMs),
        rounded(readyMs));
    System.out.printf(
        Locale.ROOT,
        "  idle RSS after a start    median %6.1f MiB (runs %s)%n",
        median(afterStart),
        rounded(afterStart));
  }

  /** The flags {@code scripts/run.sh} starts the daemon with, and {@code HEARTH_BENCH_JVM}. */
  static List<String> jvm() throws Exception {
    List<String> jvm =
        new ArrayList<>(
            Arrays.asList(
                Files.readString(Path.of("src", "main", "dist", "jvm.options"))
                    .trim()
                    .split("\\s+")));
    Path aot = StartdProcess.jar().resolveSibling("startd.aot");
    if (Files.exists(aot)) { // AOTMode=on: a cache the JVM cannot use fails the run
      jvm.addAll(List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on"));
    }
    String extra = System.getenv("HEARTH_BENCH_JVM");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    return jvm;
  }

  /** VmRSS in MiB: the median of readings 5, 6 and 7 s from now (anchors.md §6: after settling). */
  static double settledRssMib(long pid) throws Exception {
    Thread.sleep(5000);
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        Thread.sleep(1000);
      }
      rss.add(status(pid, "VmRSS") / 1024.0);
    }
    return median(rss);
  }

  static long status(long pid, String field) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    throw new IllegalStateException("no " + field + " for " + pid);
  }

  private static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static String rounded(List<Double> xs) {
    return xs.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList().toString();
  }
}
