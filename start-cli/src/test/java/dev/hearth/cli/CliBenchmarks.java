package dev.hearth.cli;

import dev.hearth.startd.Servers;
import dev.hearth.startd.StartdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code start-cli} as whole processes (issue 16), the way a script meets it: the launcher in
 * {@code target/}, against a set-up local {@code startd} (production JVM flags) with the local
 * cookie, and over HTTPS with a session cookie from {@code auth login}. Each figure is the median
 * of 10 runs after one warm-up (and the daemon's own, {@link #warmDaemon}), wall time and peak RSS
 * from GNU {@code time}, printed beside its target. {@code util b3sum} of a 1 GiB file is compared
 * with {@code b3sum --num-threads 1} (and, for information, with {@code b3sum} on every core), each
 * the median of 5 runs taken in turn on a warm page cache.
 *
 * <p>Run by {@code make bench} ({@code scripts/bench.sh}); arguments limit it to {@code calls} or
 * {@code b3sum}. {@code serve} sets up the same server, prints the two config files and waits until
 * stdin closes, for profiling single calls by hand.
 */
public final class CliBenchmarks {
  private static final int RUNS = 10;
  private static final int DAEMON_WARM_UP_CALLS = 30;
  private static final double WALL_TARGET_MS = 250;
  private static final double REMOTE_WALL_TARGET_MS = 350;
  private static final double RSS_TARGET_MIB = 64;
  private static final double B3SUM_TARGET = 0.6;
  private static final Path LAUNCHER = Path.of("target/start-cli").toAbsolutePath();
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("echo", "hi"),
          List.of("package", "list"),
          List.of("notification", "list"),
          List.of("server", "time"));

  private final List<String> misses = new ArrayList<>();

  private CliBenchmarks() {}

  public static void main(String[] args) throws Exception {
    if (!Files.isExecutable(LAUNCHER)) {
      throw new IllegalStateException("no " + LAUNCHER + ": build start-cli first (package)");
    }
    List<String> which = args.length == 0 ? List.of("calls", "b3sum") : Arrays.asList(args);
    var bench = new CliBenchmarks();
    Path dir = Files.createTempDirectory("hearth-cli-bench");
    try {
      if (which.contains("serve")) {
        bench.serve(dir);
      }
      if (which.contains("calls")) {
        bench.calls(dir);
      }
      if (which.contains("b3sum")) {
        bench.b3sum();
      }
    } finally {
      deleteTree(dir);
    }
    System.out.println();
    System.out.println(
        bench.misses.isEmpty()
            ? "start-cli figures: every one within its target"
            : "start-cli figures: outside the target: " + String.join(", ", bench.misses));
  }

  private void calls(Path dir) throws Exception {
    try (StartdProcess startd = startd(dir)) {
      Configs configs = configure(startd, dir);
      warmDaemon(configs.local());
      System.out.println("start-cli against a local startd, local cookie (median of 10)");
      for (List<String> command : COMMANDS) {
        List<String> argv = new ArrayList<>(List.of("-c", configs.local().toString()));
        argv.addAll(command);
        figure(String.join(" ", command), argv, WALL_TARGET_MS, true);
      }
      // Not one of the figures: usage builds the top-level commands, not their own.
      figure("--help (no server; no target)", List.of("--help"), Double.NaN, false);

      System.out.println();
      warmDaemon(configs.remote());
      System.out.println("start-cli over HTTPS, session cookie (median of 10)");
      for (List<String> command : COMMANDS) {
        List<String> argv = new ArrayList<>(List.of("-c", configs.remote().toString()));
        argv.addAll(command);
        figure(String.join(" ", command), argv, REMOTE_WALL_TARGET_MS, false);
      }
    }
  }

  private void serve(Path dir) throws Exception {
    try (StartdProcess startd = startd(dir)) {
      Configs configs = configure(startd, dir);
      System.out.println("local:  " + LAUNCHER + " -c " + configs.local() + " echo hi");
      System.out.println("remote: " + LAUNCHER + " -c " + configs.remote() + " echo hi");
      System.out.println(
          "serving until stdin closes (Ctrl-D; a signal would leave startd running)");
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static StartdProcess startd(Path dir) throws Exception {
    List<String> jvm =
        Arrays.asList(
            Files.readString(Path.of("../startd/src/main/dist/jvm.options")).strip().split("\\s+"));
    return StartdProcess.start(dir, jvm);
  }

  /**
   * Sets {@code startd} up and writes {@code local.yaml} (its URL, the local cookie) and {@code
   * remote.yaml}: HTTPS as from another machine, the server's Root CA as the trust anchor, no local
   * cookie (its run-dir has none), the session kept by {@code auth login}.
   */
  private static Configs configure(StartdProcess startd, Path dir) throws Exception {
    String rootCa = Servers.setUp(startd, "bench").rootCa();
    Path local = dir.resolve("local.yaml");
    Files.writeString(
        local, "host: " + startd.url() + "\nrun-dir: " + startd.runDir.toAbsolutePath() + "\n");
    Path remote = dir.resolve("remote.yaml");
    Path ca = dir.resolve("root-ca.crt");
    Files.writeString(ca, rootCa);
    Files.writeString(
        remote,
        "host: "
            + startd.tlsUrl()
            + "\nrun-dir: "
            + dir.resolve("elsewhere")
            + "\ncookie-path: "
            + dir.resolve("cookies.json")
            + "\nca: "
            + ca
            + "\n");
    var login =
        new ProcessBuilder(LAUNCHER.toString(), "-c", remote.toString(), "auth", "login")
            .redirectErrorStream(true);
    login.environment().put("PASSWORD", Servers.PASSWORD);
    Process p = login.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("auth login failed: " + said);
    }
    return new Configs(local, remote);
  }

  /** The config files {@link #configure} wrote: this machine with its cookie, and HTTPS. */
  private record Configs(Path local, Path remote) {}

  /**
   * Brings a daemon that has just started to the state of one that has served for a while: its JIT
   * compiles the paths of a call (and of a TLS handshake, the server's side of which costs a cold
   * JVM tens of milliseconds) after some dozens of them. Without this the first figures measure the
   * daemon's warm-up, not the CLI.
   */
  private static void warmDaemon(Path config) throws Exception {
    for (int i = 0; i < DAEMON_WARM_UP_CALLS; i++) {
      run("", List.of(LAUNCHER.toString(), "-c", config.toString(), "echo", "warm"));
    }
  }

  /**
   * One command line: warm-up, then {@link #RUNS} timed runs; prints the medians. The memory target
   * is the local calls' (the issue gives the remote ones a time only); the peak is printed for
   * every call.
   */
  private void figure(String name, List<String> args, double wallTarget, boolean rssTarget)
      throws Exception {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M"));
    argv.add(LAUNCHER.toString());
    argv.addAll(args);
    timed(argv);
    List<Double> wall = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      double[] t = timed(argv);
      wall.add(t[0]);
      rss.add(t[1]);
    }
    double w = median(wall);
    double r = median(rss);
    boolean judged = !Double.isNaN(wallTarget);
    boolean ok = !judged || (w <= wallTarget && (!rssTarget || r <= RSS_TARGET_MIB));
    if (!ok) {
      misses.add(name);
    }
    System.out.printf(
        Locale.ROOT,
        "  %-34s %6.0f ms%s  %5.1f MiB peak%s  %s   runs %s%n",
        name,
        w,
        judged ? String.format(Locale.ROOT, " (target <= %.0f)", wallTarget) : "",
        r,
        rssTarget ? String.format(Locale.ROOT, " (target <= %.0f)", RSS_TARGET_MIB) : "",
        judged ? (ok ? "ok" : "MISSED") : "",
        wall.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
  }

  /** Runs one timed command; {wall ms, peak RSS MiB}. Wall time is measured here, to the ms. */
  private static double[] timed(List<String> argv) throws Exception {
    long t0 = System.nanoTime();
    String err = run("", argv);
    double wall = (System.nanoTime() - t0) / 1e6;
    String[] last = err.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
    return new double[] {wall, Double.parseDouble(last[1]) / 1024.0};
  }

  private void b3sum() throws Exception {
    Path file = Path.of("target/bench-1g.bin").toAbsolutePath();
    if (!Files.exists(file) || Files.size(file) != 1L << 30) {
      run("", List.of("head", "-c", String.valueOf(1L << 30), "/dev/urandom"), file);
    }
    String expected = run("", List.of("b3sum", "--num-threads", "1", file.toString()));
    String ours = run("", List.of(LAUNCHER.toString(), "util", "b3sum", file.toString()));
    if (!ours.strip().startsWith(expected.strip().split(" ")[0])) {
      throw new IllegalStateException("hashes differ: b3sum " + expected + ", start-cli " + ours);
    }
    // Interleaved, one run of each in turn: this host's speed drifts within a minute, and the ratio
    // of two medians taken a minute apart would measure the drift.
    List<List<String>> argvs =
        List.of(
            List.of("b3sum", "--num-threads", "1", file.toString()),
            List.of(LAUNCHER.toString(), "util", "b3sum", file.toString()),
            List.of("b3sum", file.toString()));
    double[] medians = interleavedMedianWall(argvs, 5);
    double theirs = medians[0];
    double mine = medians[1];
    double ratio = theirs / mine;
    if (ratio < B3SUM_TARGET) {
      misses.add("util b3sum");
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "util b3sum of 1 GiB, whole process (median of 5, interleaved): %.0f ms; b3sum"
            + " --num-threads 1 %.0f ms; %.2fx its speed (target >= %.1f)  %s%n",
        mine,
        theirs,
        ratio,
        B3SUM_TARGET,
        ratio >= B3SUM_TARGET ? "ok" : "MISSED");
    System.out.printf(
        Locale.ROOT,
        "  (b3sum on all %d cores, its default: %.0f ms, %.2fx; start-cli hashes a mapped file"
            + " on all of them too)%n",
        Runtime.getRuntime().availableProcessors(),
        medians[2],
        medians[2] / mine);
  }

  /** The median wall time of each command line, after a warm-up run, one run of each in turn. */
  private static double[] interleavedMedianWall(List<List<String>> argvs, int rounds)
      throws Exception {
    List<List<Double>> walls = new ArrayList<>();
    for (List<String> argv : argvs) {
      run("", argv);
      walls.add(new ArrayList<>());
    }
    for (int i = 0; i < rounds; i++) {
      for (int j = 0; j < argvs.size(); j++) {
        long t0 = System.nanoTime();
        run("", argvs.get(j));
        walls.get(j).add((System.nanoTime() - t0) / 1e6);
      }
    }
    return walls.stream().mapToDouble(CliBenchmarks::median).toArray();
  }

  private static String run(String stdin, List<String> argv) throws Exception {
    return run(stdin, argv, null);
  }

  /** Runs {@code argv}; its stderr (or stdout when it is not redirected to {@code out}). */
  private static String run(String stdin, List<String> argv, Path out) throws Exception {
    var pb = new ProcessBuilder(argv);
    Path errFile = Files.createTempFile("bench", ".err");
    pb.redirectError(errFile.toFile());
    if (out != null) {
      pb.redirectOutput(out.toFile());
    }
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String stdout =
        out == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(
          argv + " failed: " + stdout + Files.readString(errFile).strip());
    }
    String err = Files.readString(errFile);
    Files.delete(errFile);
    return argv.getFirst().equals("/usr/bin/time") ? err : stdout;
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.size() % 2 == 1
        ? s.get(s.size() / 2)
        : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
