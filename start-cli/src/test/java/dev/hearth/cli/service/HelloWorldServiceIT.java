package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.PackageApi;
import dev.hearth.cli.s9pk.ExamplePackages;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.startd.Servers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example package as a new user meets it, on real LXC: sideloaded with {@code start-cli package
 * install -s}, its init runs, its critical task blocks the start until its action runs with input,
 * it starts and its health check reaches success, its page answers over the port forward, its log
 * streams, it stops, and uninstalling it leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelloWorldServiceIT {
  static final Duration SLOW = Duration.ofSeconds(90);

  ServiceHost host;
  Path s9pk;
  Path rootCa;
  int sslPort;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    s9pk = ExamplePackages.build("hello-world");
    host = ServiceHost.start(dir);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  private ServiceHost.Result cli(String... args) throws Exception {
    return host.cli(args);
  }

  private JsonNode entry() throws Exception {
    return host.entry("hello-world");
  }

  private String daemonLog() {
    return host.daemonLog();
  }

  /**
   * {@code package.attach} as a terminal would use it: the command's input, a terminal of the asked
   * size that follows resizes, a subcontainer picked by name; and the CLI with piped stdin.
   */
  private void attachIsInteractive() throws Exception {
    try (RpcClient client = host.startd.localClient()) {
      String guid =
          client.call(
              PackageApi.ATTACH,
              new PackageApi.AttachParams(
                  "hello-world",
                  List.of("sh", "-c", "stty size; read line; echo \"got $line\"; stty size"),
                  true,
                  false,
                  "30:100",
                  null,
                  null,
                  null,
                  null));
      try (Continuation term = client.continuation(guid)) {
        var seen = new StringBuilder();
        awaitOutput(term, seen, "30 100");
        term.sendText("{\"resize\":{\"rows\":40,\"cols\":120}}");
        term.sendBinary("abc\r".getBytes(StandardCharsets.UTF_8));
        awaitOutput(term, seen, "40 120");
        assertThat(seen.toString()).contains("got abc");
        assertThat(term.awaitClose(Duration.ofSeconds(10)))
            .contains(new Continuation.Closed(1000, "exit 0"));
      }
    }

    // The daemon's subcontainer by its name (hello-world's main.ts names it), with piped input.
    ServiceHost.Result piped =
        host.cliWithInput(
            "ping from stdin\n",
            "package",
            "attach",
            "hello-world",
            "--name",
            "hello-world",
            "--",
            "sh",
            "-c",
            "cat; ls /data/www");
    assertThat(piped.exit()).as(piped.err()).isZero();
    assertThat(piped.out()).startsWith("ping from stdin\n").contains("index.html");
    // The CLI on a terminal: the command gets one (this one has no size, so the default), and
    // what is typed reaches it.
    ServiceHost.Result typed =
        host.cliOnTerminal("24 80", "abc\r", shellIn("stty size; read line; echo \"got $line\""));
    assertThat(typed.exit()).as(typed.out() + typed.err()).isZero();
    assertThat(typed.out()).contains("24 80").contains("got abc");

    ServiceHost.Result noSuch =
        cli("package", "attach", "hello-world", "--name", "nope", "--", "true");
    assertThat(noSuch.exit()).isNotZero();
    assertThat(noSuch.err()).contains("no subcontainer with name nope");
  }

  /** The binding's listed address at {@code hostname}, with TLS or without. */
  private JsonNode address(String hostname, boolean ssl) throws Exception {
    for (JsonNode a : entry().at("/hosts/ui-multi/bindings/80/addresses/available")) {
      if (a.path("hostname").asText().equals(hostname) && a.path("ssl").asBoolean() == ssl) {
        return a;
      }
    }
    throw new AssertionError("no " + (ssl ? "TLS " : "") + "address " + hostname + ": " + entry());
  }

  /**
   * The binding is reached over HTTPS (issue 15) with the server's Root CA as the only trust
   * anchor, by a real client: at its IP address and at {@code <hostname>.local} (SNI), over
   * HTTP/1.1 and HTTP/2; its addresses listed by the CLI.
   */
  private void overHttpsWithTheRootCa() throws Exception {
    int ssl = entry().at("/hosts/ui-multi/bindings/80/net/assignedSslPort").asInt();
    assertThat(ssl).as("a TLS port").isPositive();
    sslPort = ssl;
    assertThat(address("127.0.0.1", true).at("/port").asInt()).isEqualTo(ssl);
    String local = host.db("/public/serverInfo/hostname").asText() + ".local";
    Path ca = Files.createTempFile("root-ca", ".crt");
    rootCa = ca;
    try (HttpClient http = HttpClient.newHttpClient()) {
      byte[] pem =
          http.send(
                  HttpRequest.newBuilder(host.startd.url().resolve("/static/local-root-ca.crt"))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();
      Files.write(ca, pem);
    }
    String ip = "https://127.0.0.1:" + ssl + "/";
    assertThat(curl("--cacert", ca.toString(), "--http1.1", "-w", "\n%{http_version}", ip))
        .contains("Hello, Tester!")
        .endsWith("\n1.1");
    assertThat(curl("--cacert", ca.toString(), "--http2", "-w", "\n%{http_version}", ip))
        .contains("Hello, Tester!")
        .endsWith("\n2");
    String[] byName = {
      "--cacert",
      ca.toString(),
      "--resolve",
      local + ":" + ssl + ":127.0.0.1",
      "https://" + local + ":" + ssl + "/"
    };
    assertThat(curl(byName)).contains("Hello, Tester!");
    assertThat(curl("--cacert", "/dev/null", ip)).as("no other trust anchor").startsWith("curl");

    // Here the only gateway is loopback, which lists no .local address and cannot be turned off
    // (the LAN side is NetworkIT's).
    assertThat(cli("package", "host", "address", "list", "hello-world", "ui-multi").out())
        .containsPattern("80 +on +private +ipv4 +lo +Root CA +127\\.0\\.0\\.1:" + ssl);
    var off =
        cli(
            "package",
            "host",
            "binding",
            "set-address-enabled",
            "hello-world",
            "ui-multi",
            "80",
            "127.0.0.1:" + ssl,
            "--off");
    assertThat(off.exit()).isNotZero();
    assertThat(off.err()).contains("a loopback address cannot be turned off");
  }

  /** curl's output, or its error line (starting "curl") when it fails. */
  private static String curl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** The CLI arguments that run {@code script} with sh in hello-world's container. */
  private static String[] shellIn(String script) {
    return new String[] {"package", "attach", "hello-world", "--", "sh", "-c", script};
  }

  /** Reads frames (output, or log entries) into {@code seen} until it contains {@code text}. */
  private static void awaitOutput(Continuation stream, StringBuilder seen, String text)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!seen.toString().contains(text)) {
      assertThat(System.nanoTime()).as("waiting for %s in: %s", text, seen).isLessThan(deadline);
      stream
          .nextFrame(Duration.ofSeconds(1))
          .ifPresent(f ->
              seen.append(
                  switch (f) {
                    case Continuation.Frame.Binary(byte[] data) ->
                        new String(data, StandardCharsets.UTF_8);
                    case Continuation.Frame.Text(String t) -> t;
                  }));
    }
  }

  @Test
  void helloWorldInstallsRunsAndGoesAwayCleanly() throws Exception {
    ServiceHost.Result install = cli("package", "install", "-s", s9pk.toString());
    assertThat(install.exit()).as("%s\n%s\n%s", install.out(), install.err(), daemonLog()).isZero();
    assertThat(install.out()).contains("installed hello-world");

    JsonNode e = entry();
    assertThat(e.at("/stateInfo/state").asText()).isEqualTo("installed");
    assertThat(e.at("/stateInfo/manifest/version").asText()).isEqualTo("1.0.0:0");
    assertThat(e.at("/developerKey").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(e.at("/icon").asText()).startsWith("data:image/svg+xml;base64,");
    assertThat(e.at("/actions/set-name/hasInput").asBoolean()).isTrue();
    assertThat(e.at("/hosts/ui-multi/bindings/80/interfaces/ui/type").asText()).isEqualTo("ui");
    installedFilesAreForSessionsAndNeverRendered();
    JsonNode task = e.at("/tasks/hello-world:set-name");
    assertThat(task.at("/task/severity").asText()).isEqualTo("critical");
    assertThat(task.at("/active").asBoolean()).isTrue();

    // The critical task blocks the start, and the list says so.
    assertThat(cli("package", "list").out())
        .containsPattern("hello-world +1\\.0\\.0:0 +task-required +-");
    ServiceHost.Result refused = cli("package", "start", "hello-world");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("critical task");

    // Input that does not fit the action's form is refused before the service sees it.
    ServiceHost.Result bad =
        cli(
            "package",
            "action",
            "run",
            "hello-world",
            "set-name",
            "--input",
            "{\"name\":\"" + "x".repeat(65) + "\",\"extra\":1}");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("name: ").contains("extra: not a field of this form");
    assertThat(entry().at("/tasks/hello-world:set-name/active").asBoolean()).isTrue();

    // Its action, with input, does the task.
    ServiceHost.Result run =
        cli(
            "package",
            "action",
            "run",
            "hello-world",
            "set-name",
            "--input",
            "{\"name\":\"Tester\"}");
    assertThat(run.exit()).as(run.err() + "\n" + daemonLog()).isZero();
    assertThat(entry().at("/tasks").size()).isZero();

    ServiceHost.Result start = cli("package", "start", "hello-world");
    assertThat(start.exit()).as(start.err()).isZero();
    await("the health check reports success")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode status = entry().at("/statusInfo");
          assertThat(status.at("/error").isNull()).as(status.toString()).isTrue();
          assertThat(status.at("/started").isTextual()).as(status.toString()).isTrue();
          assertThat(status.at("/health/primary/result").asText())
              .as(status.toString())
              .isEqualTo("success");
        });

    assertThat(cli("package", "list").out())
        .containsPattern("hello-world +1\\.0\\.0:0 +running +healthy");

    int port = entry().at("/hosts/ui-multi/bindings/80/net/assignedPort").asInt();
    JsonNode plain = address("127.0.0.1", false);
    assertThat(plain.at("/port").asInt()).isEqualTo(port);
    // The service's log streams: its last entry at once, then the line its web server writes for
    // the request below.
    try (RpcClient client = host.startd.localClient()) {
      var follow =
          client.call(
              PackageApi.LOGS_FOLLOW,
              new PackageApi.LogsParams("hello-world", 1, null, null, null));
      try (Continuation stream = client.continuation(follow.guid())) {
        assertThat(stream.next(Duration.ofSeconds(20))).as("the last entry").isPresent();
        HttpResponse<String> page =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Hello, Tester!");
        awaitOutput(stream, new StringBuilder(), "response:200");
      }
    }

    overHttpsWithTheRootCa();
    attachIsInteractive();

    // A runtime that dies: the error is recorded with its output, and the service comes back.
    String before = containerName();
    // The pids are found first and kill is the shell's last act: the container goes down with
    // its runtime, and may take this shell with it (137) once the signal is sent. kill is the
    // shell's builtin: the runtime image has no kill binary (procps is not in it).
    ServiceHost.Result kill =
        cli(
            shellIn(
                "pids=; for p in /proc/[0-9]*; do [ \"$(cat $p/comm)\" = node ] &&"
                    + " pids=\"$pids ${p#/proc/}\"; done; kill -9 $pids; exit 0"));
    assertThat(kill.exit()).as(kill.err()).isIn(0, 137);
    await("the crash is recorded")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() ->
            assertThat(entry().at("/statusInfo/error/details").asText())
                .contains("runtime exited"));
    awaitHealthy();
    assertThat(entry().at("/statusInfo/error").isNull()).isTrue();
    assertThat(containerName()).isNotEqualTo(before);
    // the new container is reached over the same TLS port
    int ssl = entry().at("/hosts/ui-multi/bindings/80/net/assignedSslPort").asInt();
    assertThat(ssl).isEqualTo(sslPort);
    await("HTTPS to the new container")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() ->
            assertThat(curl("--cacert", rootCa.toString(), "https://127.0.0.1:" + ssl + "/"))
                .contains("Hello, Tester!"));

    // A rebuild makes a new container and the service runs again.
    String crashed = containerName();
    ServiceHost.Result rebuild = cli("package", "rebuild", "hello-world");
    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    await("a new container")
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(containerName()).isNotEqualTo(crashed));
    awaitHealthy();

    ServiceHost.Result logs = cli("package", "logs", "hello-world", "--limit", "200");
    assertThat(logs.exit()).as(logs.err()).isZero();
    assertThat(logs.out()).contains("runtime:");

    ServiceHost.Result stats = cli("--format", "json", "package", "stats");
    assertThat(stats.exit()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("memory_usage");

    ServiceHost.Result stop = cli("package", "stop", "hello-world");
    assertThat(stop.exit()).as(stop.err()).isZero();
    await("it stops")
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(entry().at("/statusInfo/started").isNull()).isTrue());

    ServiceHost.Result uninstall = cli("package", "uninstall", "hello-world");
    assertThat(uninstall.exit()).as(uninstall.err()).isZero();
    await("the entry goes")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(cli("package", "list").out()).doesNotContain("hello-world"));
    assertNothingLeft();
  }

  /**
   * {@code /s9pk/installed/}: the package's instructions for the service page, to a logged-in
   * session only, and a package's files never as something the browser renders on the server's
   * origin (a package is hostile: its {@code icon.svg} could carry a script).
   */
  private void installedFilesAreForSessionsAndNeverRendered() throws Exception {
    String cookie;
    try (RpcClient admin = host.startd.client()) {
      admin.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
      cookie = "session=" + admin.cookie("session").orElseThrow();
    }
    String base = "/s9pk/installed/hello-world.s9pk";
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> md = get(http, base + "/instructions.md", cookie);
      assertThat(md.statusCode()).isEqualTo(200);
      assertThat(new String(md.body(), StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(Path.of("../packages/hello-world/instructions.md")));
      assertThat(md.headers().firstValue("Content-Type")).hasValue("text/markdown; charset=utf-8");
      assertThat(md.headers().firstValue("Content-Security-Policy").orElse(""))
          .startsWith("sandbox");
      assertThat(md.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

      HttpResponse<byte[]> icon = get(http, base + "/icon.svg", cookie);
      assertThat(icon.statusCode()).isEqualTo(200);
      assertThat(icon.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
      assertThat(icon.headers().firstValue("Content-Disposition")).hasValue("attachment");

      HttpResponse<byte[]> whole = get(http, base, cookie);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).startsWith(0x3b, 0x3b);
      assertThat(whole.headers().firstValue("Content-Disposition").orElse(""))
          .contains("hello-world.s9pk");

      assertThat(get(http, base + "/instructions.md", null).statusCode()).isEqualTo(401);
      assertThat(get(http, base + "/instructions.md", "session=forged").statusCode())
          .isEqualTo(401);
      assertThat(get(http, base + "/nothing.md", cookie).statusCode()).isEqualTo(404);
      assertThat(get(http, base + "/../manifest.json", cookie).statusCode()).isEqualTo(404);
      assertThat(
              get(http, "/s9pk/installed/not-installed.s9pk/instructions.md", cookie).statusCode())
          .isEqualTo(404);
      assertThat(get(http, "/s9pk/installed/..%2Fetc.s9pk/passwd", cookie).statusCode())
          .isIn(400, 404);
    }
  }

  private HttpResponse<byte[]> get(HttpClient http, String path, @Nullable String cookie)
      throws Exception {
    var request = HttpRequest.newBuilder(host.startd.url().resolve(path)).GET();
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void awaitHealthy() {
    await("the health check reports success")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode status = entry().at("/statusInfo");
          assertThat(status.at("/started").isTextual()).as(status.toString()).isTrue();
          assertThat(status.at("/health/primary/result").asText())
              .as(status.toString())
              .isEqualTo("success");
        });
  }

  /** The running container's name (a new one per load). */
  private String containerName() throws Exception {
    try (Stream<Path> dirs = Files.list(host.startd.dataDir.resolve("containers/lxc"))) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(n -> n.startsWith("hello-world-"))
          .sorted()
          .reduce((a, b) -> b)
          .orElse("");
    }
  }

  private void assertNothingLeft() throws Exception {
    Path data = host.startd.dataDir;
    Path mounts = data.resolve("containers/mnt");
    // While startd runs it keeps its mount root and the shared runtime image; nothing else.
    assertThat(
            Files.readString(Path.of("/proc/self/mountinfo"))
                .lines()
                .map(l -> l.split(" ")[4])
                .filter(m -> m.startsWith(data.toString()))
                .filter(m ->
                    !m.equals(mounts.toString())
                        && !m.equals(mounts.resolve(".runtime").toString())))
        .isEmpty();
    try (Stream<Path> lxc = Files.list(data.resolve("containers/lxc"))) {
      // Only the shared start-host hook (a dot file) stays; no container directory.
      assertThat(lxc.filter(p -> !p.getFileName().toString().startsWith(".")).toList()).isEmpty();
    }
    assertThat(data.resolve("package-data/volumes/hello-world")).doesNotExist();
    try (Stream<Path> installed = Files.list(data.resolve("package-data/archive/installed"))) {
      assertThat(installed.toList()).isEmpty();
    }
    Process links = new ProcessBuilder("ip", "-n", host.net.netns(), "-o", "link").start();
    String out = new String(links.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    links.waitFor();
    assertThat(
            out.lines().filter(l -> !l.contains(" lo:") && !l.contains(host.net.bridge())).toList())
        .as("veths left in the test network")
        .isEmpty();
    Process loops = new ProcessBuilder("losetup", "-a").start();
    String attached = new String(loops.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    loops.waitFor();
    assertThat(attached).doesNotContain(data.resolve("package-data").toString());

    // And once it stops, not even those.
    host.startd.close();
    host.startd = null;
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(data.toString());
  }
}
