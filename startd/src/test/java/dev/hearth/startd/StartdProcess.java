package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.jsonrpc.RpcClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code startd} process (the shaded jar the build made) on a data directory of the test's,
 * listening on loopback ports the OS picks. Its output is kept for assertions and failure reports.
 */
public final class StartdProcess implements AutoCloseable {
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final Process process;
  private final Thread reader;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<URI> ready = new CompletableFuture<>();
  private final CompletableFuture<URI> readyTls = new CompletableFuture<>();
  public final Path dataDir;
  public final Path runDir;

  /** The JVM flags of the integration tests: quick to start, small. */
  static final List<String> TEST_JVM =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+UseSerialGC",
          "-Xmx128m",
          "-XX:TieredStopAtLevel=1");

  private StartdProcess(Path dataDir, Path runDir, List<String> jvm, List<String> extraArgs)
      throws IOException {
    this(dataDir, runDir, List.of(), jvm, true, extraArgs, null);
  }

  /**
   * @param launcher words before the JVM (such as {@code ip netns exec NS})
   * @param loopback whether to listen on loopback ports (else {@code args} say where)
   * @param reachable the host the test reaches the daemon at, in place of the one it prints
   */
  private StartdProcess(
      Path dataDir,
      Path runDir,
      List<String> launcher,
      List<String> jvm,
      boolean loopback,
      List<String> extraArgs,
      @org.jspecify.annotations.Nullable String reachable)
      throws IOException {
    this.dataDir = dataDir;
    this.runDir = runDir;
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(launcher);
    command.add(java);
    command.addAll(jvm);
    command.addAll(
        List.of(
            "-jar",
            jar().toString(),
            "--data-dir",
            dataDir.toString(),
            "--run-dir",
            runDir.toString(),
            "--power",
            "stop"));
    if (loopback) {
      command.addAll(List.of("--listen", "127.0.0.1:0", "--tls", "127.0.0.1:0"));
    }
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    reader =
        Thread.ofVirtual()
            .start(() -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  output.add(line);
                  if (line.startsWith("startd ready: ")) {
                    ready.complete(at(reachable, line.substring("startd ready: ".length()).trim()));
                  } else if (line.contains("startd ready (TLS): ")) {
                    readyTls.complete(
                        at(
                            reachable,
                            line.substring(line.indexOf("startd ready (TLS): ") + 20).trim()));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              ready.completeExceptionally(new IllegalStateException("startd exited: " + output));
            });
  }

  /**
   * The jar {@code mvn package} built; integration tests run after it, in this module or in one
   * beside it (the CLI's).
   */
  public static Path jar() {
    Path here = Path.of("target", "startd.jar").toAbsolutePath();
    Path sibling = Path.of("..", "startd", "target", "startd.jar").toAbsolutePath().normalize();
    Path jar = Files.exists(here) ? here : sibling;
    assertThat(jar).as("run the integration tests through Maven (package builds the jar)").exists();
    return jar;
  }

  public static StartdProcess start(Path dir, String... extraArgs) throws Exception {
    return start(dir, TEST_JVM, extraArgs);
  }

  /** Starts with the given JVM flags (benchmarks use production's). */
  public static StartdProcess start(Path dir, List<String> jvm, String... extraArgs)
      throws Exception {
    var p = new StartdProcess(dir.resolve("data"), dir.resolve("run"), jvm, List.of(extraArgs));
    p.url();
    return p;
  }

  /** {@code url} with its host replaced by {@code host}, when there is one. */
  private static URI at(@org.jspecify.annotations.Nullable String host, String url) {
    URI u = URI.create(url);
    return host == null ? u : URI.create(u.getScheme() + "://" + host + ":" + u.getPort());
  }

  /**
   * Starts inside network namespace {@code netns} with {@code args} saying where it listens; the
   * test reaches it at {@code reachable} (an address of the namespace on a link the test made).
   */
  public static StartdProcess startInNamespace(
      Path dir, String netns, String reachable, String... args) throws Exception {
    var p =
        new StartdProcess(
            dir.resolve("data"),
            dir.resolve("run"),
            List.of("ip", "netns", "exec", netns),
            TEST_JVM,
            false,
            List.of(args),
            reachable);
    p.url();
    return p;
  }

  /** The HTTP URL, once the daemon says it is ready. */
  public URI url() throws Exception {
    return ready.get(60, TimeUnit.SECONDS);
  }

  /** The HTTPS URL, printed once the server is set up (at start, or never in setup mode). */
  public URI tlsUrl() throws Exception {
    try {
      return readyTls.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("startd did not serve TLS in 10 s: " + output, e);
    }
  }

  public RpcClient client() throws Exception {
    return new RpcClient(url(), MAPPER);
  }

  /** A client that authenticates like the on-box CLI, with the local cookie. */
  public RpcClient localClient() throws Exception {
    RpcClient c = client();
    c.setCookie("local", Files.readString(runDir.resolve("rpc.authcookie")).trim());
    return c;
  }

  public List<String> output() {
    return List.copyOf(output);
  }

  Process process() {
    return process;
  }

  /** SIGKILL, as a power cut or a crash would end it, and wait for the exit. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor();
    reader.join();
  }

  /** SIGTERM, and wait for the exit. */
  public int stop() throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of its output pipe.
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    reader.join(); // every line the process wrote has been read
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
