package dev.hearth.cli.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.DbApi;
import dev.hearth.cli.s9pk.ExamplePackages;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Contents;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.archive.FileData;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.startd.Servers;
import dev.hearth.startd.StartdProcess;
import dev.hearth.startd.container.Access;
import dev.hearth.startd.container.ContainerMount;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.container.ContainerSettings;
import dev.hearth.startd.container.ContainerSpec;
import dev.hearth.startd.container.Containers;
import dev.hearth.startd.container.Limits;
import dev.hearth.startd.container.ServiceContainer;
import dev.hearth.startd.container.TestNetwork;
import dev.hearth.startd.runtime.RuntimeClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The service figures (issue "Services in containers"), on real LXC in a network namespace made for
 * the run, with the example package {@code packages/hello-world} and the real daemon jar run with
 * production's JVM flags ({@code startd/src/main/dist/jvm.options}) and the AOT cache beside it, as
 * {@code make run} starts it:
 *
 * <ol>
 *   <li>container start to runtime ready: {@link Containers#create} with hello-world's mounts (as
 *       the daemon makes them) until {@link RuntimeClient#connect} is connected (the daemon's own
 *       path, which polls every 20 ms) and until the runtime answers a first call, {@value
 *       #CONTAINER_ROUNDS} rounds after {@value #CONTAINER_WARM_UP}; target ≤ 300 ms (the first
 *       services issue), and ≤ 150 ms from LXC's {@code RUNNING} to the first answer, the part that
 *       is node and the runtime (issue 16);
 *   <li>effect round trip as a runtime makes it (a new connection to {@code host.sock} per call):
 *       {@value #EFFECT_CALLS} calls after {@value #EFFECT_WARM_UP} for three effects, then again
 *       after {@value #EFFECT_JIT_WARM_UP} more (a warm daemon); target p99 ≤ 2 ms;
 *   <li>{@code start-cli package install -s} wall time, {@value #INSTALLS} installs with an
 *       uninstall between, split at the CLI's "Installing" progress line;
 *   <li>memory of one running hello-world: {@code package stats} (the container's memory cgroup)
 *       and the PSS of the processes in that cgroup; target ≤ 25 MiB with ten running (issue 16;
 *       the first services issue asked ≤ 30);
 *   <li>startd's RSS with {@value #COPIES} copies of hello-world installed, then running, with its
 *       Java heap ({@code jcmd GC.heap_info}) and what {@code jcmd System.trim_native_heap} gives
 *       back; targets (issue 16): idle after setup ≤ 100 MiB, {@value #COPIES} running ≤ 120 MiB;
 *   <li>install from a registry, end to end ({@link #registryInstalls}).
 * </ol>
 *
 * The copies ({@code hello-world-1} …) are built once into {@code target/bench-services} and
 * rebuilt only when the sources change (the first run spends a few minutes building them). The
 * arguments pick figures by number ({@code 2 4}); none means all. Needs root, lxc and {@code make
 * -C container-runtime}. Run with {@code make bench}, or alone from {@code start-cli/} as {@code
 * scripts/bench.sh} runs it.
 */
public final class ServiceBenchmarks {
  private static final int CONTAINER_ROUNDS = 10;
  private static final int CONTAINER_WARM_UP = 2;
  private static final int EFFECT_CALLS = 2000;
  private static final int EFFECT_WARM_UP = 200;
  // A daemon that has run for a while has compiled its effect path (C2 needs thousands of calls):
  // the p99 is also read after this many more calls.
  private static final int EFFECT_JIT_WARM_UP = 5000;
  private static final int INSTALLS = 3;
  private static final int COPIES = 10;
  private static final Duration SLOW = Duration.ofSeconds(120);
  // Memory is read shortly after the start, and once node has settled: V8 gives back what loading
  // left (its memory reducer) about ten seconds after the allocations stop.
  private static final Duration SHORTLY = Duration.ofSeconds(5);
  private static final Duration SETTLED = Duration.ofSeconds(30);
  private static final Path BUILDS = Path.of("target/bench-services").toAbsolutePath();
  private static final Path JVM_OPTIONS =
      Path.of("../startd/src/main/dist/jvm.options").toAbsolutePath().normalize();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern CREATED =
      Pattern.compile("container (\\S+) running at \\S+ in (\\d+) ms");

  private final Path dir;
  private final Map<String, String> summary = new TreeMap<>(); // by figure number
  private final AtomicBoolean cleaned = new AtomicBoolean();
  private TestNetwork net;
  private StartdProcess startd;
  private Path config;
  private Path home;

  /** The figures to measure (their numbers), from the arguments; all of them by default. */
  private final Set<String> figures;

  private ServiceBenchmarks(Path dir, Set<String> figures) {
    this.dir = dir;
    this.figures = figures;
  }

  public static void main(String[] args) throws Exception {
    long begin = System.nanoTime();
    quietLogs();
    // Short: a container's rpc/host.sock path must fit in 107 bytes (sun_path).
    Path dir =
        Files.createTempDirectory(
            "hb",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    Set<String> figures = args.length == 0 ? Set.of("1", "2", "3", "4", "5", "6") : Set.of(args);
    var bench = new ServiceBenchmarks(dir, figures);
    Thread hook = new Thread(() -> bench.cleanUp(false));
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      bench.run();
    } finally {
      bench.cleanUp(true);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    System.out.println();
    System.out.println("service figures: summary");
    bench.summary.values().forEach(System.out::println);
    System.out.printf(Locale.ROOT, "(whole run %.0f s)%n", (System.nanoTime() - begin) / 1e9);
  }

  private void run() throws Exception {
    if (!Files.exists(ServiceHost.RUNTIME_IMAGE)) {
      throw new IllegalStateException(
          "make -C container-runtime builds " + ServiceHost.RUNTIME_IMAGE);
    }
    progress("building hello-world and %d copies (cached in %s)", COPIES, BUILDS);
    long t0 = System.nanoTime();
    Path helloWorld = build("hello-world");
    boolean many = figures.contains("4") || figures.contains("5");
    List<Path> copies = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<Path>> builds = new ArrayList<>();
      for (int i = 1; many && i <= COPIES; i++) {
        String id = "hello-world-" + i;
        builds.add(pool.submit(() -> build(id)));
      }
      for (Future<Path> f : builds) {
        copies.add(f.get());
      }
    }
    progress("packages ready in %.0f s", (System.nanoTime() - t0) / 1e9);

    net = TestNetwork.create();
    if (figures.contains("1")) {
      containerStart(helloWorld);
    }
    if (!many && !figures.contains("2") && !figures.contains("3") && !figures.contains("6")) {
      return;
    }

    startDaemon();
    List<Double> cliFloor = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      cliFloor.add(ok("package", "list").wallMs());
    }
    double idleRss = settledRss("idle, set up, nothing installed");

    if (figures.contains("3")) {
      installs(helloWorld);
    } else {
      install(helloWorld);
    }
    if (figures.contains("6")) {
      registryInstalls(helloWorld);
    }
    // The last install stays: make it run.
    setNameAndStart(List.of("hello-world"));
    if (figures.contains("2")) {
      effects("hello-world");
    }
    if (!many) {
      return;
    }
    Memory one = memory(List.of("hello-world"), "1 hello-world running", SHORTLY);
    double rssOne = settledRss("1 hello-world running");
    uninstall("hello-world");

    progress("installing %d copies", COPIES);
    List<Double> copyInstalls = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Path s9pk : copies) {
      Install r = install(s9pk);
      copyInstalls.add(r.wallMs());
      ids.add(r.id());
    }
    double rssInstalled = settledRss(COPIES + " installed, stopped (containers and runtimes up)");
    Memory tenStopped = memory(ids, COPIES + " installed, stopped", SHORTLY);
    setNameAndStart(ids);
    double rssRunning = settledRss(COPIES + " running");
    double rssTrimmed = trimmedRss();
    Memory tenRunningSoon = memory(ids, COPIES + " running", SHORTLY);
    Memory tenRunning = memory(ids, COPIES + " running", SETTLED);
    List<Double> uninstalls = new ArrayList<>();
    for (String id : ids) {
      uninstalls.add(uninstall(id));
    }
    double rssAfter = settledRss("all uninstalled again");

    List<Double> created = daemonCreateTimes();
    System.out.println();
    System.out.println("install of the copies and the daemon's own view");
    row("  install -s of a copy (" + copyInstalls.size() + ")", copyInstalls, "ms");
    row("  uninstall to entry gone (" + uninstalls.size() + ")", uninstalls, "ms");
    row("  daemon log: create->RUNNING (" + created.size() + ")", created, "ms");
    row("  CLI floor: `package list` (3)", cliFloor, "ms");

    summary.put(
        "4",
        String.format(
            Locale.ROOT,
            "  4. memory per running service  package stats (working set) %.1f MiB;"
                + " PSS of its processes %.1f MiB alone, %.1f MiB each with %d running"
                + " (%.1f MiB %d s after the start, before V8's memory reducer has run)"
                + "  target <= 25 MiB (PSS, 10 running)",
            one.cgroupMib(),
            one.pssMib(),
            tenRunning.pssMib(),
            COPIES,
            tenRunningSoon.pssMib(),
            SHORTLY.toSeconds()));
    summary.put(
        "5",
        String.format(
            Locale.ROOT,
            "  5. startd RSS  idle after setup %.1f MiB  target <= 100 MiB;  %d running %.1f MiB"
                + "  target <= 120 MiB  (1 running %.1f, %d installed %.1f, %.1f after"
                + " trim_native_heap, after uninstall %.1f; production flags and AOT cache)",
            idleRss,
            COPIES,
            rssRunning,
            rssOne,
            COPIES,
            rssInstalled,
            rssTrimmed,
            rssAfter));
    summary.put(
        "5b",
        String.format(
            Locale.ROOT,
            "     (%d stopped services: working set %.1f MiB and PSS %.1f MiB each)",
            COPIES,
            tenStopped.cgroupMib(),
            tenStopped.pssMib()));
  }

  // ---- packages ------------------------------------------------------------------------------

  /**
   * hello-world under {@code id}: a copy of its sources whose manifest names {@code id} (s9pk.mk
   * reads the id from that line), made by {@link ExamplePackages#make}. The changed manifest keeps
   * the source's mtime, so make builds again only when the sources changed.
   */
  private static Path build(String id) throws Exception {
    Path build = BUILDS.resolve(id);
    Path made = build.resolve(id + "_x86_64.s9pk");
    if (Files.exists(made)
        && Files.getLastModifiedTime(made).toMillis() > newestSource().toMillis()) {
      return made; // make would pack it again whenever the git index changed
    }
    ExamplePackages.copy("hello-world", build);
    if (!id.equals("hello-world")) {
      Path manifest = build.resolve("startos/manifest/index.ts");
      Path source = ExamplePackages.source("hello-world").resolve("startos/manifest/index.ts");
      String text = Files.readString(manifest);
      String changed = text.replace("id: 'hello-world'", "id: '" + id + "'");
      if (changed.equals(text)) {
        throw new IllegalStateException("no `id: 'hello-world'` line in " + source);
      }
      Files.writeString(manifest, changed);
      Files.setLastModifiedTime(manifest, Files.getLastModifiedTime(source));
    }
    return ExamplePackages.make(build, id);
  }

  /** The newest source file of hello-world (what {@link ExamplePackages#copy} copies). */
  private static FileTime newestSource() throws IOException {
    Path source = ExamplePackages.source("hello-world");
    try (Stream<Path> walk = Files.walk(source)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> {
            Path rel = source.relativize(p);
            String top = rel.getName(0).toString();
            String file = p.getFileName().toString();
            return !top.equals("node_modules")
                && !top.equals("javascript")
                && !file.endsWith(".s9pk")
                && !(top.equals("image") && file.endsWith(".tar"));
          })
          .map(p -> {
            try {
              return Files.getLastModifiedTime(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .max(Comparator.naturalOrder())
          .orElseThrow();
    }
  }

  /** This JVM's own log (the container classes'): warnings only, the figures stay readable. */
  private static void quietLogs() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }

  // ---- 1. container start to runtime ready --------------------------------------------------

  private void containerStart(Path s9pk) throws Exception {
    progress("container start -> runtime ready (%d rounds)", CONTAINER_ROUNDS);
    Path base = Files.createDirectories(dir.resolve("direct"));
    var settings =
        new ContainerSettings(
            base.resolve("lxc"),
            base.resolve("mnt"),
            ServiceHost.RUNTIME_IMAGE,
            net.bridge(),
            net.subnet(),
            net.netns(),
            "127.0.0.1",
            new Limits(1L << 30, 4096, 1024, 0)); // LxcSandboxes.DEFAULT_LIMITS
    Path volume = Files.createDirectories(base.resolve("volume-main"));
    Files.setAttribute(volume, "unix:uid", 100_000);
    Files.setAttribute(volume, "unix:gid", 100_000);
    List<ContainerMount> mounts = packageMounts(s9pk, volume);
    List<Double> running = new ArrayList<>();
    List<Double> socket = new ArrayList<>();
    List<Double> connected = new ArrayList<>();
    List<Double> answered = new ArrayList<>();
    List<Double> runningToAnswer = new ArrayList<>();
    List<Double> close = new ArrayList<>();
    try (Containers containers = Containers.open(settings)) {
      for (int i = 0; i < CONTAINER_WARM_UP + CONTAINER_ROUNDS; i++) {
        String name = "bench-rt-" + i;
        long t0 = System.nanoTime();
        ServiceContainer c = containers.create(new ContainerSpec(name, "hello-world", mounts));
        long t1, t2, t3;
        var appeared = new AtomicLong();
        try {
          t1 = System.nanoTime();
          Path sock = c.rpcDir().resolve("service.sock");
          Thread watcher =
              Thread.ofVirtual()
                  .start(() -> {
                    try {
                      while (!Files.exists(sock)) {
                        Thread.sleep(1);
                      }
                      appeared.set(System.nanoTime());
                    } catch (InterruptedException e) {
                      // gave up
                    }
                  });
          try (RuntimeClient runtime =
              RuntimeClient.connect(sock, MAPPER, name, Duration.ofSeconds(60))) {
            t2 = System.nanoTime();
            try {
              runtime.call("bench.ping", MAPPER.createObjectNode(), Duration.ofSeconds(10));
            } catch (StartException e) {
              if (e.kind() == ErrorKind.TIMEOUT) {
                throw e;
              } // an error reply (no such method) is an answer
            }
            t3 = System.nanoTime();
          }
          watcher.join(1000);
          watcher.interrupt();
        } finally {
          long t4 = System.nanoTime();
          c.close();
          if (i >= CONTAINER_WARM_UP) {
            close.add(ms(t4, System.nanoTime()));
          }
        }
        if (i >= CONTAINER_WARM_UP) {
          running.add(ms(t0, t1));
          if (appeared.get() != 0) {
            socket.add(ms(t0, appeared.get()));
          }
          connected.add(ms(t0, t2));
          answered.add(ms(t0, t3));
          runningToAnswer.add(ms(t1, t3));
        }
      }
      if (!containers.leftovers().isEmpty()) {
        System.out.println("WARNING: left behind: " + containers.leftovers());
      }
    }
    System.out.println();
    System.out.println(
        "1. container start -> runtime ready (hello-world's mounts, "
            + CONTAINER_ROUNDS
            + " rounds after "
            + CONTAINER_WARM_UP
            + "; median (min..max))");
    row("  create -> LXC RUNNING", running, "ms");
    row("  create -> service.sock exists (1 ms poll)", socket, "ms");
    row("  create -> RuntimeClient connected (20 ms poll)", connected, "ms");
    row("  create -> first reply from the runtime", answered, "ms");
    row("  LXC RUNNING -> first reply (node and the runtime)", runningToAnswer, "ms");
    row("  ServiceContainer.close", close, "ms");
    summary.put(
        "1",
        String.format(
            Locale.ROOT,
            "  1. container start -> runtime answers  median %.0f ms, max %.0f ms (%d rounds)"
                + "  target <= 300 ms;  from LXC RUNNING median %.0f ms  target <= 150 ms"
                + " (issue 16)",
            percentile(answered, 50),
            percentile(answered, 100),
            answered.size(),
            percentile(runningToAnswer, 50)));
  }

  /** The mounts the daemon gives hello-world's container (LxcSandboxes#create), for x86_64. */
  private static List<ContainerMount> packageMounts(Path s9pk, Path volume) throws IOException {
    List<ContainerMount> mounts = new ArrayList<>();
    try (S9pk pkg = S9pk.open(s9pk)) {
      Directory root = pkg.contents();
      long[] js = range(root, "javascript.squashfs").orElseThrow();
      mounts.add(new ContainerMount.Squashfs(s9pk, js[0], js[1], "/usr/lib/startos/package"));
      range(root, "assets.squashfs")
          .ifPresent(a ->
              mounts.add(
                  new ContainerMount.OverlayOnSquashfs(s9pk, a[0], a[1], "/media/startos/assets")));
      for (Map.Entry<String, ImageConfig> e : pkg.manifest().images().entrySet()) {
        String id = e.getKey();
        String arch =
            e.getValue().arch().contains("x86_64") || e.getValue().emulateMissingAs() == null
                ? "x86_64"
                : e.getValue().emulateMissingAs();
        String at = "/media/startos/images/" + id;
        String base = "images/" + arch + "/" + id;
        long[] sq = range(root, base + ".squashfs").orElseThrow();
        mounts.add(new ContainerMount.Squashfs(s9pk, sq[0], sq[1], at));
        mounts.add(
            new ContainerMount.File(small(root, base + ".env").orElse(new byte[0]), at + ".env"));
        mounts.add(
            new ContainerMount.File(
                small(root, base + ".json").orElse("{}".getBytes(StandardCharsets.UTF_8)),
                at + ".json"));
      }
      for (String v : pkg.manifest().volumes()) {
        mounts.add(
            new ContainerMount.Bind(
                volume, ContainerPath.of("/media/startos/volumes/" + v), Access.READ_WRITE));
      }
    }
    return mounts;
  }

  private static Optional<long[]> range(Directory root, String path) {
    return root.find(path)
        .flatMap(entry ->
            entry.contents() instanceof Contents.File(FileData.InArchive in)
                ? Optional.of(new long[] {in.position(), in.length()})
                : Optional.empty());
  }

  private static Optional<byte[]> small(Directory root, String path) {
    return root.find(path).filter(Entry::isFile).map(e -> e.readAll(path, 1 << 20));
  }

  // ---- the daemon and its CLI -----------------------------------------------------------------

  private void startDaemon() throws Exception {
    List<String> jvm = new ArrayList<>(List.of(Files.readString(JVM_OPTIONS).trim().split("\\s+")));
    Path aot = StartdProcess.jar().resolveSibling("startd.aot");
    if (Files.exists(aot)) { // as scripts/run.sh starts it; AOTMode=on: a cache it cannot use fails
      jvm.addAll(List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on"));
    }
    String extra = System.getenv("BENCH_STARTD_JVM"); // e.g. -Xlog:gc:file=gc.log, to see why
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    progress("starting startd with %s", String.join(" ", jvm));
    startd =
        StartdProcess.start(
            dir.resolve("server"),
            jvm,
            "--runtime-image",
            ServiceHost.RUNTIME_IMAGE.toString(),
            "--bridge",
            net.bridge(),
            "--subnet",
            net.subnet(),
            "--netns",
            net.netns(),
            "--forward-bind",
            "127.0.0.1");
    Servers.setUp(startd, "Service Bench");
    home = Files.createDirectories(dir.resolve("home"));
    config = dir.resolve("cli.yaml");
    Files.writeString(config, "run-dir: " + startd.runDir + "\n");
  }

  /** A CLI run: exit code, output, wall time, and when each output line arrived (ms from start). */
  record Result(int exit, List<String> lines, List<Double> at, String err, double wallMs) {
    String out() {
      return String.join("\n", lines);
    }

    /** When the first line starting with {@code prefix} arrived, or NaN. */
    double lineAt(String prefix) {
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix)) {
          return at.get(i);
        }
      }
      return Double.NaN;
    }
  }

  private Result cli(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of("target", "start-cli").toAbsolutePath().toString());
    command.add("-c");
    command.add(config.toString());
    command.addAll(List.of(args));
    var pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
    long t0 = System.nanoTime();
    Process p = pb.start();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    List<Double> at = Collections.synchronizedList(new ArrayList<>());
    var err = new CompletableFuture<String>();
    Thread.ofVirtual()
        .start(() -> {
          try {
            err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            err.completeExceptionally(e);
          }
        });
    try (var in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        at.add(ms(t0, System.nanoTime()));
        lines.add(line);
      }
    }
    if (!p.waitFor(SLOW.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("start-cli " + List.of(args) + " did not finish");
    }
    double wall = ms(t0, System.nanoTime());
    return new Result(
        p.exitValue(), List.copyOf(lines), List.copyOf(at), err.get(10, TimeUnit.SECONDS), wall);
  }

  private Result ok(String... args) throws Exception {
    Result r = cli(args);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "start-cli "
              + String.join(" ", args)
              + " failed ("
              + r.exit()
              + "):\n"
              + r.out()
              + "\n"
              + r.err()
              + "\n--- daemon:\n"
              + daemonLog());
    }
    return r;
  }

  private String daemonLog() {
    List<String> out = startd.output();
    return String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size()));
  }

  private JsonNode packages() throws Exception {
    try (var client = startd.localClient()) {
      return client.call(DbApi.DUMP, new DbApi.PointerParams("/public/packageData")).value();
    }
  }

  private JsonNode entry(String id) throws Exception {
    return packages().path(id);
  }

  private interface Check {
    boolean done() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + SLOW.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out: " + what);
      }
      Thread.sleep(50);
    }
  }

  // ---- 3. install ----------------------------------------------------------------------------

  /**
   * An install as the CLI shows it: its first progress line comes once the upload is done (the
   * server then validates), "Installing" once the file is verified and stored.
   */
  record Install(String id, double wallMs, double toFirstLine, double toInstalling) {}

  private Install install(Path s9pk) throws Exception {
    Result r = ok("package", "install", "-s", s9pk.toString());
    String last = r.lines().isEmpty() ? "" : r.lines().getLast();
    if (!last.startsWith("installed ")) {
      throw new IllegalStateException("install said: " + r.out());
    }
    return new Install(
        last.substring("installed ".length()).trim(),
        r.wallMs(),
        r.at().getFirst(),
        r.lineAt("Installing"));
  }

  /** Uninstalls and waits until the entry is gone; the time from the call until then. */
  private double uninstall(String id) throws Exception {
    long t0 = System.nanoTime();
    ok("package", "uninstall", id);
    await(id + " uninstalled", () -> entry(id).isMissingNode() || entry(id).isNull());
    return ms(t0, System.nanoTime());
  }

  private void installs(Path s9pk) throws Exception {
    progress("install -s hello-world x%d", INSTALLS);
    List<Double> wall = new ArrayList<>();
    List<Double> upload = new ArrayList<>();
    List<Double> verify = new ArrayList<>();
    List<Double> init = new ArrayList<>();
    List<Double> uninstalls = new ArrayList<>();
    for (int i = 0; i < INSTALLS; i++) {
      Install r = install(s9pk);
      wall.add(r.wallMs());
      upload.add(r.toFirstLine());
      verify.add(r.toInstalling() - r.toFirstLine());
      init.add(r.wallMs() - r.toInstalling());
      if (i < INSTALLS - 1) {
        uninstalls.add(uninstall(r.id()));
      }
    }
    System.out.println();
    System.out.println(
        "3. start-cli package install -s hello-world ("
            + INSTALLS
            + " installs, uninstalled between; 1.6 MB file; median (min..max))");
    row("  wall, CLI start to exit", wall, "ms");
    row("  CLI start -> 1st progress line (CLI, upload)", upload, "ms");
    row("  -> \"Installing\" (verify, store)", verify, "ms");
    row("  -> exit (container, runtime, init)", init, "ms");
    row("  uninstall to entry gone", uninstalls, "ms");
    summary.put(
        "3",
        String.format(
            Locale.ROOT,
            "  3. install -s hello-world  median %.0f ms wall: %.0f CLI start+upload, %.0f"
                + " verify, %.0f container+init (%d runs)",
            percentile(wall, 50),
            percentile(upload, 50),
            percentile(verify, 50),
            percentile(init, 50),
            wall.size()));
  }

  /**
   * Figure 6: {@code start-cli package install hello-world --version 1.0.0:0 -r URL} from a real
   * start-registry on loopback (in this process), {@value #INSTALLS} installs with an uninstall
   * between: the listing and its signatures checked, the download, the same verify and install as a
   * sideload. The last install stays.
   */
  private void registryInstalls(Path s9pk) throws Exception {
    progress("install hello-world from a registry x%d", INSTALLS);
    uninstall("hello-world");
    try (var registry =
        new dev.hearth.registry.RegistryFixture(Files.createDirectories(dir.resolve("registry")))) {
      try (var admin = registry.client(registry.adminKey)) {
        dev.hearth.registry.RegistryFixture.publish(admin, s9pk, registry.adminKey);
      }
      String url = registry.url.toString();
      List<Double> wall = new ArrayList<>();
      for (int i = 0; i < INSTALLS; i++) {
        wall.add(
            ok("package", "install", "hello-world", "--version", "1.0.0:0", "-r", url).wallMs());
        if (i < INSTALLS - 1) {
          uninstall("hello-world");
        }
      }
      System.out.println();
      System.out.println(
          "6. start-cli package install hello-world from a registry on loopback ("
              + INSTALLS
              + " installs, uninstalled between; median (min..max))");
      row("  wall, CLI start to installed", wall, "ms");
      summary.put(
          "6",
          String.format(
              Locale.ROOT,
              "  6. install hello-world from a registry  median %.0f ms wall (%d runs)",
              percentile(wall, 50),
              wall.size()));
    }
  }

  /** Does each service's critical task (its action, with input), starts it, waits until healthy. */
  private void setNameAndStart(List<String> ids) throws Exception {
    progress("set-name and start %s", ids);
    for (String id : ids) {
      ok("package", "action", "run", id, "set-name", "--input", "{\"name\":\"Bench\"}");
      ok("package", "start", id);
    }
    for (String id : ids) {
      await(
          id + " healthy",
          () -> entry(id).at("/statusInfo/health/primary/result").asText().equals("success"));
    }
  }

  // ---- 2. effects ----------------------------------------------------------------------------

  private void effects(String id) throws Exception {
    progress("effects round trips on %s", id);
    Path socket;
    try (Stream<Path> dirs = Files.list(startd.dataDir.resolve("containers/lxc"))) {
      socket =
          dirs.filter(d -> d.getFileName().toString().startsWith(id + "-"))
              .map(d -> d.resolve("rpc/host.sock"))
              .filter(Files::exists)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no host.sock of " + id));
    }
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("get-data-version", "{}");
    calls.put("get-status", "{}");
    calls.put("get-host-info", "{\"hostId\":\"ui-multi\"}");
    System.out.println();
    System.out.println(
        "2. effect round trip, a new host.sock connection per call ("
            + EFFECT_CALLS
            + " calls after "
            + EFFECT_WARM_UP
            + ", one at a time, hello-world running)");
    List<String> p99s = new ArrayList<>();
    for (var call : calls.entrySet()) {
      byte[] request =
          ("{\"id\":1,\"method\":\"" + call.getKey() + "\",\"params\":" + call.getValue() + "}\n")
              .getBytes(StandardCharsets.UTF_8);
      String reply = new String(effect(socket, request), StandardCharsets.UTF_8);
      JsonNode parsed = MAPPER.readTree(reply);
      if (parsed.has("error") && !parsed.get("error").isNull()) {
        throw new IllegalStateException(call.getKey() + " failed: " + reply);
      }
      List<Double> early = roundTrips(socket, request, EFFECT_WARM_UP);
      List<Double> warm = roundTrips(socket, request, EFFECT_JIT_WARM_UP);
      percentiles("  " + call.getKey() + " (" + reply.length() + " B reply)", early);
      percentiles("    the same, after " + EFFECT_JIT_WARM_UP + " more", warm);
      p99s.add(
          String.format(
              Locale.ROOT,
              "%s %.2f (%.2f early)",
              call.getKey(),
              percentile(warm, 99),
              percentile(early, 99)));
    }
    // For comparison: the same calls on one connection (what connecting costs).
    byte[] request =
        "{\"id\":1,\"method\":\"get-data-version\",\"params\":{}}\n"
            .getBytes(StandardCharsets.UTF_8);
    List<Double> kept = new ArrayList<>();
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      for (int i = 0; i < EFFECT_WARM_UP + EFFECT_CALLS; i++) {
        long t0 = System.nanoTime();
        c.write(ByteBuffer.wrap(request));
        readLine(c);
        if (i >= EFFECT_WARM_UP) {
          kept.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    percentiles("  get-data-version, one kept connection", kept);
    summary.put(
        "2",
        "  2. effect round trip p99 (ms, new connection per call; warm, and in the first "
            + EFFECT_CALLS
            + " calls after "
            + EFFECT_WARM_UP
            + ")  "
            + String.join(", ", p99s)
            + "  target <= 2 ms");
  }

  /** {@value #EFFECT_CALLS} timed calls (ms) after {@code warmUp} untimed ones. */
  private static List<Double> roundTrips(Path socket, byte[] request, int warmUp)
      throws IOException {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < warmUp + EFFECT_CALLS; i++) {
      long t0 = System.nanoTime();
      effect(socket, request);
      if (i >= warmUp) {
        times.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return times;
  }

  private static byte[] effect(Path socket, byte[] request) throws IOException {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      c.write(ByteBuffer.wrap(request));
      return readLine(c);
    }
  }

  private static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(64 * 1024);

  /** Reads one reply line (one caller at a time: the buffer is reused, no garbage per call). */
  private static byte[] readLine(SocketChannel c) throws IOException {
    ByteBuffer buffer = BUFFER.clear();
    while (true) {
      if (c.read(buffer) < 0) {
        throw new IOException("the effects server closed the connection");
      }
      for (int i = 0; i < buffer.position(); i++) {
        if (buffer.get(i) == '\n') {
          byte[] line = new byte[i];
          buffer.flip();
          buffer.get(line);
          return line;
        }
      }
      if (!buffer.hasRemaining()) {
        throw new IOException("reply longer than 64 KiB");
      }
    }
  }

  // ---- 4. memory per service -----------------------------------------------------------------

  record Memory(double cgroupMib, double pssMib) {}

  /**
   * Per service (median over {@code ids}): {@code package stats}' figure (the container's working
   * set: its cgroup's usage less the inactive file cache) and the PSS and RSS of the processes in
   * its cgroup, after {@code after}.
   */
  private Memory memory(List<String> ids, String what, Duration after) throws Exception {
    Thread.sleep(after.toMillis());
    JsonNode stats = MAPPER.readTree(ok("--format", "json", "package", "stats").out());
    List<Double> cgroup = new ArrayList<>();
    List<Double> pss = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    List<Double> anon = new ArrayList<>();
    List<Double> cache = new ArrayList<>();
    Map<String, Double> byCommand = new LinkedHashMap<>();
    Map<String, Double> nodeMappings = Map.of();
    for (String id : ids) {
      JsonNode s = stats.path(id);
      if (s.isMissingNode() || s.isNull()) {
        throw new IllegalStateException("no stats for " + id + ": " + stats);
      }
      cgroup.add(s.path("memory_usage").asDouble());
      String container = s.path("container_id").asText();
      Path cg = memoryCgroup(container);
      double p = 0;
      double r = 0;
      for (long pid : pids(cg)) {
        Map<String, Long> rollup = smapsRollup(pid);
        p += rollup.getOrDefault("Pss", 0L) / 1024.0;
        r += rollup.getOrDefault("Rss", 0L) / 1024.0;
        if (ids.size() == 1) {
          byCommand.merge(command(pid), rollup.getOrDefault("Pss", 0L) / 1024.0, Double::sum);
          if (command(pid).equals("node")) {
            nodeMappings = pssByMapping(pid);
          }
        }
      }
      pss.add(p);
      rss.add(r);
      Map<String, Long> stat = memoryStat(cg);
      anon.add(stat.getOrDefault("total_rss", stat.getOrDefault("anon", 0L)) / 1048576.0);
      cache.add(stat.getOrDefault("total_cache", stat.getOrDefault("file", 0L)) / 1048576.0);
    }
    System.out.println();
    System.out.println(
        "4. memory per service, "
            + what
            + " (median over "
            + ids.size()
            + ", "
            + after.toSeconds()
            + " s after)");
    row("  package stats memory_usage (working set)", cgroup, "MiB");
    row("  the cgroup's anon (memory.stat total_rss)", anon, "MiB");
    row("  the cgroup's page cache (total_cache)", cache, "MiB");
    row("  PSS of the container's processes", pss, "MiB");
    row("  RSS of the container's processes", rss, "MiB");
    if (!byCommand.isEmpty()) {
      StringBuilder b = new StringBuilder("    PSS by process:");
      byCommand.forEach((c, v) -> b.append(String.format(Locale.ROOT, " %s %.1f;", c, v)));
      System.out.println(b);
      StringBuilder m = new StringBuilder("    node's PSS by mapping:");
      nodeMappings.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(8)
          .forEach(
              e -> m.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue())));
      System.out.println(m);
    }
    return new Memory(percentile(cgroup, 50), percentile(pss, 50));
  }

  private static Path memoryCgroup(String container) {
    Path v1 = Path.of("/sys/fs/cgroup/memory/lxc.payload." + container);
    return Files.isDirectory(v1) ? v1 : Path.of("/sys/fs/cgroup/lxc.payload." + container);
  }

  private static List<Long> pids(Path cgroup) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(cgroup)) {
      for (Path procs :
          walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank()) {
            out.add(Long.parseLong(line.trim()));
          }
        }
      }
    }
    return out;
  }

  private static Map<String, Long> smapsRollup(long pid) {
    Map<String, Long> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
        Matcher m = Pattern.compile("^(\\w+):\\s+(\\d+) kB").matcher(line);
        if (m.find()) {
          out.put(m.group(1), Long.parseLong(m.group(2)));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    return out;
  }

  /** PSS (MiB) by mapped file, anonymous memory as "[anon]" (V8's heap is there). */
  private static Map<String, Double> pssByMapping(long pid) {
    Map<String, Double> out = new LinkedHashMap<>();
    try {
      String mapping = "?";
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 5 && f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
          mapping = f.length >= 6 ? Path.of(f[5]).getFileName() + "" : "[anon]";
        } else if (f[0].equals("Pss:")) {
          out.merge(mapping, Long.parseLong(f[1]) / 1024.0, Double::sum);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    return out;
  }

  private static String command(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static Map<String, Long> memoryStat(Path cgroup) throws IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(cgroup.resolve("memory.stat"))) {
      String[] kv = line.split(" ");
      if (kv.length == 2) {
        out.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return out;
  }

  // ---- 5. startd's RSS -----------------------------------------------------------------------

  /** startd's VmRSS: the median of three readings 5, 6 and 7 s after the last request. */
  private double settledRss(String what) throws Exception {
    long pid = startdPid();
    Thread.sleep(5000);
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        Thread.sleep(1000);
      }
      rss.add(status(pid, "VmRSS") / 1024.0);
    }
    double hwm = status(pid, "VmHWM") / 1024.0;
    long threads = status(pid, "Threads");
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "5. startd RSS, %s: %.1f MiB (%s; peak VmHWM %.1f MiB; %d threads)%n   %s%n",
        what,
        percentile(rss, 50),
        rounded(rss),
        hwm,
        threads,
        heapInfo(pid, percentile(rss, 50)));
    return percentile(rss, 50);
  }

  /**
   * startd's RSS after {@code jcmd System.trim_native_heap}: what glibc's malloc kept of memory the
   * JVM freed (compiler arenas, buffers) shows as the difference.
   */
  private double trimmedRss() throws Exception {
    long pid = startdPid();
    double before = status(pid, "VmRSS") / 1024.0;
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "System.trim_native_heap")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(1000);
    double after = status(pid, "VmRSS") / 1024.0;
    System.out.printf(
        Locale.ROOT,
        "   after jcmd System.trim_native_heap: %.1f -> %.1f MiB (%s)%n",
        before,
        after,
        out.lines().filter(l -> l.contains("Trim")).findFirst().orElse(out.strip()));
    return after;
  }

  /**
   * startd's Java heap as {@code jcmd GC.heap_info} tells (committed and used), and how much of its
   * RSS lies in the heap's address range (/proc/PID/smaps) and outside it.
   */
  private static String heapInfo(long pid, double rssMib) {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      // "DefNew     total 2432K, used 1037K [0x…f8000000, 0x…f82a0000, 0x…faaa0000)"
      Matcher gen =
          Pattern.compile(
                  "total (\\d+)K, used (\\d+)K \\[0x(\\p{XDigit}+), 0x\\p{XDigit}+, 0x(\\p{XDigit}+)\\)")
              .matcher(out);
      long total = 0;
      long used = 0;
      long from = Long.MAX_VALUE;
      long to = 0;
      while (gen.find()) {
        total += Long.parseLong(gen.group(1));
        used += Long.parseLong(gen.group(2));
        from = Math.min(from, Long.parseUnsignedLong(gen.group(3), 16));
        to = Math.max(to, Long.parseUnsignedLong(gen.group(4), 16));
      }
      if (total == 0) {
        return "jcmd GC.heap_info: " + out.strip().lines().findFirst().orElse("");
      }
      double heapRss = rssWithin(pid, from, to) / 1024.0;
      return String.format(
          Locale.ROOT,
          "heap committed %.1f MiB (used %.1f); RSS in the heap %.1f MiB, outside it %.1f MiB",
          total / 1024.0,
          used / 1024.0,
          heapRss,
          rssMib - heapRss);
    } catch (IOException | InterruptedException e) {
      return "jcmd failed: " + e.getMessage();
    }
  }

  /** KiB of RSS in the mappings of {@code pid} inside {@code [from, to)}. */
  private static long rssWithin(long pid, long from, long to) throws IOException {
    long kib = 0;
    boolean inside = false;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
      Matcher range = Pattern.compile("^(\\p{XDigit}+)-(\\p{XDigit}+) ").matcher(line);
      if (range.find()) {
        long start = Long.parseUnsignedLong(range.group(1), 16);
        long end = Long.parseUnsignedLong(range.group(2), 16);
        inside = start >= from && end <= to;
      } else if (inside && line.startsWith("Rss:")) {
        kib += Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    return kib;
  }

  private long startdPid() {
    String data = startd.dataDir.toString();
    return ProcessHandle.current()
        .children()
        .filter(p -> {
          try {
            return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).contains(data);
          } catch (IOException e) {
            return false;
          }
        })
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("startd's process not found"))
        .pid();
  }

  private static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    throw new IllegalStateException("no " + field + " for " + pid);
  }

  private List<Double> daemonCreateTimes() {
    List<Double> out = new ArrayList<>();
    for (String line : startd.output()) {
      Matcher m = CREATED.matcher(line);
      if (m.find()) {
        out.add(Double.parseDouble(m.group(2)));
      }
    }
    return out;
  }

  // ---- clean-up ------------------------------------------------------------------------------

  /**
   * Uninstalls what is still installed (unless the JVM is going down), stops startd, deletes the
   * network namespace and, when nothing is mounted in it any more, the work directory.
   */
  private void cleanUp(boolean uninstall) {
    if (!cleaned.compareAndSet(false, true)) {
      return;
    }
    if (startd != null) {
      if (uninstall) {
        try {
          List<String> left = new ArrayList<>();
          packages().fieldNames().forEachRemaining(left::add);
          for (String id : left) {
            progress("clean-up: uninstalling %s", id);
            uninstall(id);
          }
        } catch (Exception e) {
          System.err.println("clean-up: uninstall failed: " + e.getMessage());
        }
      }
      try {
        startd.close();
      } catch (Exception e) {
        System.err.println("clean-up: stopping startd failed: " + e.getMessage());
      }
    }
    if (net != null) {
      try {
        net.delete();
      } catch (Exception e) {
        System.err.println("clean-up: deleting netns " + net.netns() + " failed: " + e);
      }
    }
    try {
      String prefix = dir.toString() + "/";
      List<String> mounted =
          Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
              .map(l -> l.split(" ")[4])
              .filter(m -> m.equals(dir.toString()) || m.startsWith(prefix))
              .toList();
      if (!mounted.isEmpty()) {
        System.err.println("clean-up: still mounted, " + dir + " kept: " + mounted);
        return;
      }
      deleteTree(dir);
    } catch (IOException e) {
      System.err.println("clean-up: deleting " + dir + " failed: " + e);
    }
  }

  /** Deletes a tree without following links or leaving its file system. */
  private static void deleteTree(Path root) throws IOException {
    Object dev = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            return dev.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  // ---- figures -------------------------------------------------------------------------------

  private static void progress(String format, Object... args) {
    System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  private static double ms(long from, long to) {
    return (to - from) / 1e6;
  }

  private static void row(String what, List<Double> samples, String unit) {
    if (samples.isEmpty()) {
      System.out.printf(Locale.ROOT, "%-52s  no samples%n", what);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%-52s %8.1f %s  (%.1f..%.1f)%n",
        what,
        percentile(samples, 50),
        unit,
        percentile(samples, 0),
        percentile(samples, 100));
  }

  private static void percentiles(String what, List<Double> samples) {
    System.out.printf(
        Locale.ROOT,
        "%-52s p50 %6.3f ms  p99 %6.3f ms  max %7.3f ms%n",
        what,
        percentile(samples, 50),
        percentile(samples, 99),
        percentile(samples, 100));
  }

  /** Nearest rank; p 0 is the minimum. */
  private static double percentile(List<Double> xs, double p) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.clamp(i, 0, sorted.size() - 1));
  }

  private static String rounded(List<Double> xs) {
    return xs.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList().toString();
  }
}
