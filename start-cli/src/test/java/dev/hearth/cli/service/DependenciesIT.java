package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.s9pk.ExamplePackages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * hello-friend depends on hello-world: a version range and health checks, a task it asks of
 * hello-world's action with a prefilled input, and hello-world's volume mounted read-only in its
 * subcontainer. Then isolation: from inside a service, the host's files, another service's data and
 * other containers are out of reach, and its effects socket cannot act for another package.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DependenciesIT {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final ObjectMapper MAPPER = new ObjectMapper();

  ServiceHost host;
  Path helloWorld;
  Path helloFriend;
  Path secret;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    // Side by side: hello-friend's manifest takes hello-world's icon from ../hello-world.
    helloWorld = ExamplePackages.build("hello-world");
    helloFriend = ExamplePackages.build("hello-friend");
    host = ServiceHost.start(dir);
    secret = dir.resolve("secret.txt");
    Files.writeString(secret, "host secret");
    Files.setPosixFilePermissions(
        secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  private String get(String id, int internalPort, String path) throws Exception {
    int port =
        host.entry(id).at("/hosts/ui-multi/bindings/" + internalPort + "/net/assignedPort").asInt();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().trim();
  }

  private JsonNode task() throws Exception {
    return host.entry("hello-friend").at("/tasks/hello-world:set-name");
  }

  @Test
  void aDependentServiceAndWhatItCannotReach() throws Exception {
    host.ok("package", "install", "-s", helloWorld.toString());
    host.ok(
        "package", "action", "run", "hello-world", "set-name", "--input", "{\"name\":\"Alice\"}");
    host.ok("package", "start", "hello-world");
    host.awaitHealthy("hello-world");

    host.ok("package", "install", "-s", helloFriend.toString());
    JsonNode friend = host.entry("hello-friend");
    assertThat(friend.at("/currentDependencies/hello-world/kind").asText()).isEqualTo("running");
    assertThat(friend.at("/currentDependencies/hello-world/versionRange").asText())
        .isEqualTo(">=1.0.0:0");
    assertThat(task().at("/task/severity").asText()).isEqualTo("important");
    assertThat(task().at("/task/input/set/name").asText()).isEqualTo("Friend");
    assertThat(task().at("/active").asBoolean())
        .as("hello-world greets Alice, not Friend")
        .isTrue();

    host.ok("package", "start", "hello-friend");
    host.awaitHealthy("hello-friend");
    await("hello-friend reads hello-world's name through the read-only mount")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(get("hello-friend", 8080, "/friend.txt")).isEqualTo("200 Alice"));
    ServiceHost.Result hello = host.ok("package", "action", "run", "hello-friend", "say-hello");
    assertThat(hello.out()).contains("hello-world greets Alice");

    // Doing the task with its prefilled input makes it inactive, and the change reaches the friend.
    host.ok(
        "package", "action", "run", "hello-world", "set-name", "--input", "{\"name\":\"Friend\"}");
    assertThat(task().at("/active").asBoolean()).isFalse();
    await("the new name reaches hello-friend")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(get("hello-friend", 8080, "/friend.txt")).isEqualTo("200 Friend"));

    isolation();
    theEffectsSocketSpeaksOnlyForItsPackage();
  }

  private void isolation() throws Exception {
    // The host's files are not there.
    ServiceHost.Result hostFile =
        host.cli("package", "attach", "hello-friend", "--", "cat", secret.toString());
    assertThat(hostFile.exit()).isNotZero();
    assertThat(hostFile.out()).doesNotContain("host secret");

    // Only its own volume; hello-world's is visible only read-only, in the subcontainer.
    ServiceHost.Result volumes =
        host.ok("package", "attach", "hello-friend", "--", "ls", "/media/startos/volumes");
    assertThat(volumes.out().strip()).isEqualTo("main");
    String guid =
        host.ok("package", "attach", "hello-friend", "--", "ls", "/media/startos/subcontainers")
            .out()
            .strip()
            .lines()
            .findFirst()
            .orElseThrow();
    ServiceHost.Result read =
        host.ok(
            "package",
            "attach",
            "hello-friend",
            "--subcontainer",
            guid,
            "--",
            "cat",
            "/friend/name.txt");
    assertThat(read.out()).contains("Friend");
    ServiceHost.Result write =
        host.cli(
            "package",
            "attach",
            "hello-friend",
            "--subcontainer",
            guid,
            "--",
            "sh",
            "-c",
            "echo Mallory > /friend/name.txt");
    assertThat(write.exit()).isNotZero();
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Friend");

    // Other containers are out of reach on the bridge; its own port is not (so the probe works).
    String worldIp =
        host.ok("package", "attach", "hello-world", "--", "ip", "-4", "-o", "addr", "show", "eth0")
            .out()
            .replaceAll("(?s).*inet ([0-9.]+)/.*", "$1")
            .strip();
    String friendIp =
        host.ok("package", "attach", "hello-friend", "--", "ip", "-4", "-o", "addr", "show", "eth0")
            .out()
            .replaceAll("(?s).*inet ([0-9.]+)/.*", "$1")
            .strip();
    assertThat(probe(friendIp, 8080)).isEqualTo("connected");
    assertThat(probe(worldIp, 80)).isNotEqualTo("connected");
  }

  /** Connects from inside hello-friend's container with node; says how it went. */
  private String probe(String ip, int port) throws Exception {
    String js =
        "const s=require('net').connect("
            + port
            + ",'"
            + ip
            + "');s.setTimeout(3000);"
            + "s.on('connect',()=>{console.log('connected');process.exit(0)});"
            + "s.on('error',e=>{console.log(e.code);process.exit(0)});"
            + "s.on('timeout',()=>{console.log('timeout');process.exit(0)})";
    return host.ok("package", "attach", "hello-friend", "--", "node", "-e", js).out().strip();
  }

  private void theEffectsSocketSpeaksOnlyForItsPackage() throws Exception {
    // Running another package's action: its access is "user", so no package may.
    JsonNode run =
        host.effect(
            "hello-friend",
            "action.run",
            "{\"packageId\":\"hello-world\",\"actionId\":\"set-name\","
                + "\"input\":{\"name\":\"Mallory\"}}");
    assertThat(run.at("/error/code").asInt()).isEqualTo(34);
    // Health, data version and tasks it writes land on itself, whatever ids it names.
    JsonNode health =
        host.effect(
            "hello-friend",
            "set-health",
            "{\"packageId\":\"hello-world\",\"id\":\"primary\",\"name\":\"x\","
                + "\"result\":\"failure\",\"message\":\"forged\"}");
    assertThat(health.has("error")).isFalse();
    assertThat(host.entry("hello-world").at("/statusInfo/health/primary/message").asText())
        .isNotEqualTo("forged");
    JsonNode mount =
        host.effect(
            "hello-friend",
            "mount",
            "{\"location\":\"/tmp/x\",\"target\":{\"packageId\":\"hello-friend-not-a-dependency\","
                + "\"volumeId\":\"main\",\"subpath\":null,\"readonly\":false,\"idmap\":[]}}");
    assertThat(mount.at("/error/code").asInt()).isEqualTo(34);
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Friend");
  }
}
