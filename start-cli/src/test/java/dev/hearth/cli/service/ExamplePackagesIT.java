package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.s9pk.ExamplePackages;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.startd.StartdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example packages of {@code packages/} (issue 12 item 7), built with the official SDK and run
 * on real LXC through their whole life: install, actions, start, health, restart, a restart of
 * {@code startd} itself, update, downgrade, uninstall. Each step is checked by what the package did
 * (the file it wrote, the owner it set, the datagram it echoed), not only by exit codes.
 *
 * <p>hello-kitchen: the file model, the every-field action, the oneshot chown, the init
 * subcontainer and the migrations between 1.0.0 and 1.1.0. hello-net: the UDP interface, the port
 * range and the image entrypoint (image metadata beside a rootfs source: {@code entrypoint}, {@code
 * cmd}, {@code user}, {@code workdir}, {@code env}). start-registry: our registry on a jlink
 * runtime, renamed and given an admin by its actions (requests it signs with its own key), then
 * published to with {@code start-cli s9pk publish} through its interface.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplePackagesIT {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final Path BUILDS = Path.of("target/example-packages-it").toAbsolutePath();
  static final String KITCHEN = "hello-kitchen";
  static final String NET = "hello-net";
  static final String REGISTRY = "start-registry";

  /** Every field of hello-kitchen's Place Order form, each with a value that is not its default. */
  static final String FULL_ORDER =
      """
      {"dish":"Risotto","notes":"No onions,\\nplease","servings":3,"plateColor":"#ff8800",
       "serveAt":"2026-12-24T19:30","spicy":true,"salted":false,"course":"dessert",
       "sides":["bread","salad"],"guests":["Ada","Grace"],
       "extras":[{"item":"Parmesan","quantity":2}],"table":{"number":7,"byTheWindow":true},
       "payment":{"selection":"card","value":{"last4":"4242"}},
       "photo":{"path":"risotto.png","commitment":{"hash":"%s","size":1234}},"ticket":41}
      """
          .formatted("ab".repeat(32));

  ServiceHost host;
  LanClient lan;
  Path kitchen100;
  Path kitchen110;
  Path net100;
  Path net110;
  Path registry;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    // Each build is mostly one node process (tsc, ncc), so two at a time halve the wait. The two
    // kitchens share one SDK install, which the first build makes: they go one after the other.
    var nets =
        CompletableFuture.supplyAsync(() -> build(() -> ExamplePackages.build(NET)))
            .thenApply(
                first -> List.of(first, build(() -> nextNet(BUILDS.resolve("hello-net-1.1.0")))));
    var registryBuild =
        CompletableFuture.supplyAsync(() -> build(() -> ExamplePackages.build(REGISTRY)));
    kitchen110 = ExamplePackages.build(KITCHEN);
    kitchen100 = firstKitchen(BUILDS.resolve("hello-kitchen-1.0.0"));
    net100 = nets.join().get(0);
    net110 = nets.join().get(1);
    registry = registryBuild.join();
    host = ServiceHost.start(dir);
    lan = LanClient.join(host);
  }

  private interface Build {
    Path run() throws Exception;
  }

  private static Path build(Build build) {
    try {
      return build.run();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    try {
      if (host != null) {
        host.close();
      }
    } finally {
      if (lan != null) {
        lan.close();
      }
    }
  }

  /** hello-kitchen 1.0.0: its own sources, with 1.0.0 as the current version and no other. */
  private static Path firstKitchen(Path build) throws Exception {
    ExamplePackages.copy(KITCHEN, build);
    Files.writeString(
        build.resolve("startos/versions/index.ts"),
        """
        import { VersionGraph } from '@start9labs/start-sdk'
        import { v1_0_0 } from './v1.0.0'

        export const versionGraph = VersionGraph.of({ current: v1_0_0, other: [] })
        """);
    return ExamplePackages.make(build, KITCHEN);
  }

  /**
   * hello-net 1.1.0: its own sources with one more version, whose migrations write which way they
   * ran into {@code migrated.txt} in the data volume.
   */
  private static Path nextNet(Path build) throws Exception {
    ExamplePackages.copy(NET, build);
    Files.writeString(
        build.resolve("startos/versions/v1.1.0.ts"),
        """
        import { VersionInfo } from '@start9labs/start-sdk'
        import { sdk } from '../sdk'

        export const v1_1_0 = VersionInfo.of({
          version: '1.1.0:0',
          releaseNotes: 'A test version.',
          migrations: {
            up: async () => {
              await sdk.volumes.main.writeFile('migrated.txt', 'up')
            },
            down: async () => {
              await sdk.volumes.main.writeFile('migrated.txt', 'down')
            },
          },
        })
        """);
    Files.writeString(
        build.resolve("startos/versions/index.ts"),
        """
        import { VersionGraph } from '@start9labs/start-sdk'
        import { v1_0_0 } from './v1.0.0'
        import { v1_1_0 } from './v1.1.0'

        export const versionGraph = VersionGraph.of({ current: v1_1_0, other: [v1_0_0] })
        """);
    return ExamplePackages.make(build, NET);
  }

  @Test
  void helloKitchenThroughItsWholeLife() throws Exception {
    host.ok("package", "install", "-s", kitchen100.toString());
    assertThat(version(KITCHEN)).isEqualTo("1.0.0:0");
    // Init ran a temporary subcontainer on the image, and merged what it read into the model.
    JsonNode store = store();
    assertThat(store.at("/initProbe").asText())
        .isEqualTo("install: Hello Kitchen image 1 (busybox)");
    assertThat(store.at("/schema").asInt()).isEqualTo(1);
    assertThat(store.at("/order").isNull()).isTrue();
    assertThat(kitchenFile("migrations.log")).doesNotExist();

    // The form offers one field of every type, and its prefill the first ticket.
    JsonNode form =
        json(
            host.ok("--format", "json", "package", "action", "get-input", KITCHEN, "place-order")
                .out());
    assertThat(form.toString())
        .contains(
            "\"type\":\"text\"",
            "\"type\":\"textarea\"",
            "\"type\":\"number\"",
            "\"type\":\"color\"",
            "\"type\":\"datetime\"",
            "\"type\":\"toggle\"",
            "\"type\":\"triState\"",
            "\"type\":\"select\"",
            "\"type\":\"multiselect\"",
            "\"type\":\"list\"",
            "\"type\":\"object\"",
            "\"type\":\"union\"",
            "\"type\":\"file\"",
            "\"type\":\"hidden\"");
    assertThat(form.at("/value/ticket").asInt()).as(form.toString()).isEqualTo(1);

    // The action stores exactly what the form gave it, every field.
    host.ok("package", "action", "run", KITCHEN, "place-order", "--input", FULL_ORDER);
    assertThat(store().at("/order")).isEqualTo(json(FULL_ORDER));
    assertThat(store().at("/initProbe").asText()).as("write kept the rest").startsWith("install:");

    host.ok("package", "start", KITCHEN);
    String started = awaitHealthy(KITCHEN, "primary");
    int port = entry(KITCHEN).at("/hosts/ui-multi/bindings/8080/net/assignedPort").asInt();
    assertThat(get(port, "/")).contains("Cooking Risotto");
    // The web server runs as cook, and could write into the directory the oneshot gave it.
    assertThat(get(port, "/cook.txt")).isEqualTo("cook\n");
    assertThat(inKitchen("stat -c %U:%G /data/www /data/www/index.html"))
        .isEqualTo("cook:cook\ncook:cook\n");

    // A new dish: main read the model with .const(), so it runs again and the page follows.
    host.ok(
        "package",
        "action",
        "run",
        KITCHEN,
        "place-order",
        "--input",
        FULL_ORDER.replace("Risotto", "Pie"));
    await("the page follows the model")
        .atMost(SLOW)
        .ignoreExceptions() // the web server restarts meanwhile
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(get(port, "/")).contains("Cooking Pie"));
    assertThat(store().at("/order/sides").toString()).isEqualTo("[\"bread\",\"salad\"]");

    host.ok("package", "restart", KITCHEN);
    awaitRestarted(KITCHEN, started);
    awaitHealthy(KITCHEN, "primary");

    // startd stops and starts again: the service comes back running, its data as it was.
    String beforeRestart = awaitHealthy(KITCHEN, "primary");
    host.restart();
    awaitRestarted(KITCHEN, beforeRestart);
    awaitHealthy(KITCHEN, "primary");
    assertThat(get(port(KITCHEN), "/")).contains("Cooking Pie");
    assertThat(store().at("/order/dish").asText()).isEqualTo("Pie");

    // Up to 1.1.0: its up migration moves the model to schema 2, once.
    host.ok("package", "install", "-s", kitchen110.toString());
    assertThat(version(KITCHEN)).isEqualTo("1.1.0:0");
    store = store();
    assertThat(store.at("/schema").asInt()).isEqualTo(2);
    assertThat(store.at("/initProbe").asText())
        .isEqualTo("update: Hello Kitchen image 1 (busybox)");
    assertThat(store.at("/order/dish").asText()).isEqualTo("Pie");
    assertThat(Files.readString(kitchenFile("migrations.log"))).isEqualTo("up to 1.1.0:0\n");
    awaitHealthy(KITCHEN, "primary");

    // Down to 1.0.0: 1.1.0's down migration runs before 1.0.0 takes over.
    host.ok("package", "install", "-s", kitchen100.toString());
    assertThat(version(KITCHEN)).isEqualTo("1.0.0:0");
    assertThat(store().at("/schema").asInt()).isEqualTo(1);
    assertThat(Files.readString(kitchenFile("migrations.log")))
        .isEqualTo("up to 1.1.0:0\ndown from 1.1.0:0\n");
    awaitHealthy(KITCHEN, "primary");
    assertThat(get(port(KITCHEN), "/cook.txt")).isEqualTo("cook\n");

    uninstall(KITCHEN);
  }

  /** Its image carries metadata beside the rootfs, which {@code sdk.useEntrypoint()} runs. */
  @Test
  void helloNetThroughItsWholeLife() throws Exception {
    host.ok("package", "install", "-s", net100.toString());
    JsonNode bindings = entry(NET).at("/hosts/echo");
    assertThat(bindings.at("/bindings/7007/interfaces/echo/type").asText())
        .as(bindings.toString())
        .isEqualTo("api");
    assertThat(bindings.toString()).contains("relay").contains("47310");

    host.ok("package", "start", NET);
    awaitHealthy(NET, "primary");
    awaitHealthy(NET, "relay");
    // The daemon is the image's entrypoint with its cmd, as its user, in its workdir, with its
    // environment and the one main adds.
    await("the entrypoint's first line")
        .atMost(SLOW)
        .untilAsserted(() ->
            assertThat(host.ok("package", "logs", NET, "--limit", "200").out())
                .contains("hello-net: serving as net in /home/net, greeting 'hello from the image'")
                .contains("hello-net: UDP echo on 7007, UDP and TCP echo on 47310-47313"));
    // The UDP interface and every port of the range, TCP and UDP, answer a client on the LAN.
    int first = 47310;
    assertNetEchoes(first);

    host.ok("package", "restart", NET);
    awaitHealthy(NET, "relay");
    host.ok("package", "rebuild", NET);
    awaitHealthy(NET, "relay");
    host.restart();
    awaitHealthy(NET, "primary");
    awaitHealthy(NET, "relay");
    assertNetEchoes(first);

    // Up and down again: each version's init binds the same range again, and the echo goes on.
    host.ok("package", "install", "-s", net110.toString());
    assertThat(version(NET)).isEqualTo("1.1.0:0");
    assertThat(Files.readString(host.volume(NET, "main").resolve("migrated.txt"))).isEqualTo("up");
    awaitHealthy(NET, "relay");
    host.ok("package", "install", "-s", net100.toString());
    assertThat(version(NET)).isEqualTo("1.0.0:0");
    assertThat(Files.readString(host.volume(NET, "main").resolve("migrated.txt")))
        .isEqualTo("down");
    awaitHealthy(NET, "primary");
    awaitHealthy(NET, "relay");
    assertNetEchoes(first);

    uninstall(NET);
  }

  /**
   * The registry as a service: it answers through its interface, its actions rename it and make the
   * developer key an admin, and that key publishes hello-net to it with start-cli, which lists it
   * and serves the file from the package's volume.
   */
  @Test
  void startRegistryServesFromItsVolume() throws Exception {
    host.ok("package", "install", "-s", registry.toString());
    Path volume = host.volume(REGISTRY, "main");
    assertThat(Files.readString(volume.resolve("service-key.pub.pem")))
        .startsWith("-----BEGIN PUBLIC KEY-----");
    host.ok("package", "start", REGISTRY);
    String started = awaitHealthy(REGISTRY, "primary");
    JsonNode binding = entry(REGISTRY).at("/hosts/registry/bindings/5959");
    String url = "http://127.0.0.1:" + binding.at("/net/assignedPort").asInt();
    assertThat(rpc(url, "info").at("/result/name").asText()).isEqualTo("Hearth Registry");
    assertThat(host.ok("package", "action", "run", REGISTRY, "show-urls").out())
        .contains("http://" + binding.at("/addresses/available/0/hostname").asText());

    host.ok("package", "action", "run", REGISTRY, "set-name", "--input", "{\"name\":\"Den\"}");
    assertThat(rpc(url, "info").at("/result/name").asText()).isEqualTo("Den");

    String pub = DeveloperKey.read(ExamplePackages.key()).publicKey().pem();
    String admin = StartdProcess.MAPPER.writeValueAsString(Map.of("name", "Ada", "key", pub));
    assertThat(host.ok("package", "action", "run", REGISTRY, "add-admin", "--input", admin).out())
        .contains("Ada is an admin");
    // start-cli signs for the host it is told; the registry accepts each address of its interface.
    String name = binding.at("/addresses/available/0/hostname").asText();
    publish(url, name, net100);
    JsonNode index = rpc(url, "package.index");
    assertThat(index.at("/result/packages/hello-net/versions").has("1.0.0:0"))
        .as(index.toString())
        .isTrue();
    String blob = index.at("/result/packages/hello-net/versions/1.0.0:0/s9pks/0/1/urls/0").asText();
    assertThat(blob).startsWith(url + "/blob/");
    // The file is kept in the package's volume, named by its content.
    String stored = blob.substring(blob.lastIndexOf('/') + 1);
    assertThat(volume.resolve("registry/packages").resolve(stored)).hasSameBinaryContentAs(net100);
    HttpResponse<Void> head =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(blob))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("content-length").orElseThrow())
        .isEqualTo(Files.size(net100));

    // Everything is in the volume: after a restart it has the same name and package.
    host.ok("package", "restart", REGISTRY);
    awaitRestarted(REGISTRY, started);
    awaitHealthy(REGISTRY, "primary");
    assertThat(rpc(url, "info").at("/result/name").asText()).isEqualTo("Den");
    assertThat(rpc(url, "package.index").at("/result/packages/hello-net/versions").has("1.0.0:0"))
        .isTrue();

    uninstall(REGISTRY);
  }

  /** Calls {@code method} on a registry anonymously; the whole reply. */
  private static JsonNode rpc(String url, String method) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/rpc/v0"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"id\":0,\"method\":\"" + method + "\",\"params\":{}}"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r.body());
  }

  /**
   * {@code start-cli -r URL s9pk publish FILE}, as the developer the example packages are signed
   * by.
   */
  private static void publish(String url, String hostname, Path s9pk) throws Exception {
    var pb =
        new ProcessBuilder(
                Path.of("target/start-cli").toAbsolutePath().toString(),
                "-r",
                url,
                "--registry-hostname",
                hostname,
                "s9pk",
                "publish",
                s9pk.toString())
            .redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + ExamplePackages.HOME);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("s9pk publish:\n%s", out).isZero();
  }

  private void uninstall(String id) throws Exception {
    host.ok("package", "uninstall", id);
    await(id + " goes")
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(host.db("/public/packageData").has(id)).isFalse());
    assertThat(host.startd.dataDir.resolve("package-data/volumes").resolve(id)).doesNotExist();
  }

  private JsonNode entry(String id) throws Exception {
    return host.entry(id);
  }

  private String version(String id) throws Exception {
    return entry(id).at("/stateInfo/manifest/version").asText();
  }

  private int port(String id) throws Exception {
    return entry(id).at("/hosts/ui-multi/bindings/8080/net/assignedPort").asInt();
  }

  private Path kitchenFile(String name) {
    return host.volume(KITCHEN, "main").resolve(name);
  }

  /** hello-kitchen's file model, as it is on disk. */
  private JsonNode store() throws Exception {
    return json(Files.readString(kitchenFile("store.json")));
  }

  private static JsonNode json(String text) throws Exception {
    return StartdProcess.MAPPER.readTree(text);
  }

  /** Waits for {@code check} to report success; returns when the service last started. */
  private String awaitHealthy(String id, String check) {
    try {
      awaitHealthyOrTimeout(id, check);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      String logs;
      try {
        logs = host.cli("package", "logs", id, "--limit", "60").out();
      } catch (Exception f) {
        logs = f.toString();
      }
      throw new AssertionError(e.getMessage() + "\n" + id + "'s log:\n" + logs, e);
    }
    try {
      return entry(id).at("/statusInfo/started").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void awaitHealthyOrTimeout(String id, String check) {
    await(id + " " + check + " is healthy")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode status = entry(id).at("/statusInfo");
          assertThat(status.at("/started").isTextual()).as(status.toString()).isTrue();
          assertThat(status.at("/health/" + check + "/result").asText())
              .as(status.toString())
              .isEqualTo("success");
        });
  }

  /** Waits for {@code id} to have started again since {@code started}. */
  private void awaitRestarted(String id, String started) {
    await(id + " started again")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          JsonNode status = entry(id).at("/statusInfo");
          assertThat(status.at("/started").asText()).as(status.toString()).isNotEqualTo(started);
          assertThat(status.at("/started").isTextual()).as(status.toString()).isTrue();
        });
  }

  /** Runs {@code script} with sh in hello-kitchen's daemon subcontainer; its output. */
  private String inKitchen(String script) throws Exception {
    return host.ok("package", "attach", KITCHEN, "--name", "kitchen", "--", "sh", "-c", script)
        .out();
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
    return r.body();
  }

  /**
   * hello-net's UDP interface, on the port the server assigned it, and each port of its range over
   * TCP and UDP echo what a LAN client sends (forwards may take a moment after an init).
   */
  private void assertNetEchoes(int first) {
    await("hello-net echoes to the LAN")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          int udp = entry(NET).at("/hosts/echo/bindings/7007/net/assignedPort").asInt();
          assertThat(udp).isPositive();
          assertThat(lan.send("UDP4", udp, "datagram\n")).isEqualTo("datagram\n");
          for (int p = first; p < first + 4; p++) {
            assertThat(lan.send("TCP4", p, "ping " + p + "\n")).isEqualTo("ping " + p + "\n");
            assertThat(lan.send("UDP4", p, "relay " + p + "\n")).isEqualTo("relay " + p + "\n");
          }
        });
  }
}
