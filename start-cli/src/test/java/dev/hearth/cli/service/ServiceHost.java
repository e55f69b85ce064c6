package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.DbApi;
import dev.hearth.startd.Servers;
import dev.hearth.startd.StartdProcess;
import dev.hearth.startd.container.TestNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A set-up server that runs services on real LXC, its bridge in a network namespace made for the
 * test, and the real {@code start-cli} pointed at it, for the service integration tests.
 */
final class ServiceHost implements AutoCloseable {
  static final Path RUNTIME_IMAGE =
      Path.of("../container-runtime/target/runtime.squashfs").toAbsolutePath().normalize();

  record Result(int exit, String out, String err) {}

  final TestNetwork net;
  StartdProcess startd;
  private final Path dir;
  private final Path config;
  private final Path home;

  private final String[] extra;

  private ServiceHost(Path dir, TestNetwork net, StartdProcess startd, String[] extra)
      throws Exception {
    this.extra = extra;
    this.dir = dir;
    this.net = net;
    this.startd = startd;
    this.home = Files.createDirectories(dir.resolve("home"));
    this.config = dir.resolve("cli.yaml");
    Files.writeString(config, "run-dir: " + startd.runDir + "\n");
  }

  static ServiceHost start(Path dir) throws Exception {
    return start(dir, new String[0]);
  }

  /** With more flags for startd, such as its registries. */
  static ServiceHost start(Path dir, String... extra) throws Exception {
    assertThat(RUNTIME_IMAGE).as("make -C container-runtime builds the runtime image").exists();
    // Containers run as uid 100000, which must be able to reach their directories.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    TestNetwork net = TestNetwork.create();
    try {
      StartdProcess startd = StartdProcess.start(dir.resolve("server"), args(net, extra));
      Servers.setUp(startd, "Service Test");
      return new ServiceHost(dir, net, startd, extra);
    } catch (Exception e) {
      net.delete();
      throw e;
    }
  }

  private static String[] args(TestNetwork net, String[] extra) {
    var all =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--runtime-image", RUNTIME_IMAGE.toString(),
                "--bridge", net.bridge(),
                "--subnet", net.subnet(),
                "--netns", net.netns(),
                "--forward-bind", "127.0.0.1"));
    all.addAll(java.util.List.of(extra));
    return all.toArray(String[]::new);
  }

  /** Stops the daemon (SIGTERM) and starts it again on the same data. */
  void restart() throws Exception {
    startd.close();
    startd = StartdProcess.start(dir.resolve("server"), args(net, extra));
  }

  /** Kills the daemon (SIGKILL) and starts it again on the same data. */
  void killAndRestart() throws Exception {
    startd.kill();
    startd = StartdProcess.start(dir.resolve("server"), args(net, extra));
  }

  /** The CLI with its stdin closed at once. */
  Result cli(String... args) throws Exception {
    return cliWithInput("", args);
  }

  /** The CLI with {@code stdin} as its input. */
  Result cliWithInput(String stdin, String... args) throws Exception {
    return run(cliCommand(args), stdin, args);
  }

  /**
   * The CLI on a terminal, as a person runs it: script(1) gives it a pseudo-terminal, and once the
   * terminal shows {@code prompt} (the remote command is up and waiting), {@code typed} is typed
   * into it; the output is what the terminal showed. Typing only then is what a person does, and it
   * keeps the keys from racing the session's set-up (a terminal switched to raw mode, or one made
   * for the remote command, may drop what was typed before).
   */
  Result cliOnTerminal(String prompt, String typed, String... args) throws Exception {
    StringBuilder line = new StringBuilder();
    for (String word : cliCommand(args)) {
      line.append(line.isEmpty() ? "" : " ").append("'").append(word.replace("'", "'\\''"));
      line.append("'");
    }
    var pb =
        new ProcessBuilder(
            "script", "--quiet", "--return", "--command", line.toString(), "/dev/null");
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
    Process p = pb.start();
    CompletableFuture<String> err = drain(p.getErrorStream());
    var shown = new StringBuilder();
    var out = new CompletableFuture<String>();
    var prompted = new CompletableFuture<Void>();
    Thread.ofVirtual()
        .start(() -> {
          try (var in = p.getInputStream()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
              synchronized (shown) {
                shown.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (shown.indexOf(prompt) >= 0) {
                  prompted.complete(null);
                }
              }
            }
            out.complete(shown.toString());
          } catch (Exception e) {
            out.completeExceptionally(e);
          }
        });
    try (var keys = p.getOutputStream()) {
      prompted.get(120, TimeUnit.SECONDS);
      keys.write(typed.getBytes(StandardCharsets.UTF_8));
    } catch (java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    p.waitFor(10, TimeUnit.SECONDS);
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private List<String> cliCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of("target", "start-cli").toAbsolutePath().toString());
    command.add("-c");
    command.add(config.toString());
    command.addAll(List.of(args));
    return command;
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    var text = new CompletableFuture<String>();
    Thread.ofVirtual()
        .start(() -> {
          try {
            text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
          } catch (Exception e) {
            text.completeExceptionally(e);
          }
        });
    return text;
  }

  private Result run(List<String> command, String stdin, String... args) throws Exception {
    var pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    // Both streams read beside the wait, so a CLI that never ends fails the test in time.
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("start-cli %s finished", List.of(args)).isTrue();
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  /** Runs the CLI and requires success. */
  Result ok(String... args) throws Exception {
    Result r = cli(args);
    assertThat(r.exit())
        .as("start-cli %s\n%s\n%s\n%s", List.of(args), r.out(), r.err(), daemonLog())
        .isZero();
    return r;
  }

  JsonNode entry(String id) throws Exception {
    return startd
        .localClient()
        .call(DbApi.DUMP, new DbApi.PointerParams("/public/packageData/" + id))
        .value();
  }

  /** Waits until {@code id}'s primary health check reports success (two minutes at most). */
  void awaitHealthy(String id) {
    org.awaitility.Awaitility.await(id + " is healthy")
        .atMost(java.time.Duration.ofSeconds(120))
        .pollInterval(java.time.Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode status = entry(id).at("/statusInfo");
          assertThat(status.at("/health/primary/result").asText())
              .as(status.toString())
              .isEqualTo("success");
        });
  }

  JsonNode db(String pointer) throws Exception {
    return startd.localClient().call(DbApi.DUMP, new DbApi.PointerParams(pointer)).value();
  }

  Path volume(String id, String volume) {
    return startd
        .dataDir
        .resolve("package-data/volumes")
        .resolve(id)
        .resolve("data")
        .resolve(volume);
  }

  /** The effects socket of {@code id}'s current container: what its runtime's code talks to. */
  Path effectsSocket(String id) throws Exception {
    try (var dirs = Files.list(startd.dataDir.resolve("containers/lxc"))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(id + "-"))
          .map(d -> d.resolve("rpc/host.sock"))
          .filter(Files::exists)
          .findFirst()
          .orElseThrow(() -> new AssertionError(id + " has no container"));
    }
  }

  /**
   * Calls {@code method} on {@code id}'s effects socket, as its runtime would (the socket is bound
   * to the package, so this is what the package's code can do); the whole JSON-RPC reply.
   */
  JsonNode effect(String id, String method, String params) throws Exception {
    String request = "{\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}\n";
    try (var c =
        java.nio.channels.SocketChannel.open(
            java.net.UnixDomainSocketAddress.of(effectsSocket(id)))) {
      java.nio.channels.Channels.newOutputStream(c).write(request.getBytes(StandardCharsets.UTF_8));
      var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  java.nio.channels.Channels.newInputStream(c), StandardCharsets.UTF_8));
      return StartdProcess.MAPPER.readTree(in.readLine());
    }
  }

  String daemonLog() {
    List<String> out = startd.output();
    return String.join("\n", out.subList(Math.max(0, out.size() - 60), out.size()));
  }

  @Override
  public void close() throws Exception {
    try {
      if (startd != null) {
        startd.close();
      }
    } finally {
      net.delete();
    }
  }
}
