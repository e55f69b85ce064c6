package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.s9pk.ExamplePackages;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDP, port ranges and the host's ports on real LXC (issue 12 §5). A hello-world variant binds a
 * raw port (5300, which the test holds for UDP on the host, so it must get another) where its
 * runtime answers UDP, and a 100-port range where it answers TCP on two ports and UDP on a third. A
 * "LAN client" is another network namespace joined to the bridge's by a veth pair: kernel forwards
 * live in the bridge's namespace and answer on its own addresses (docs/startd.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortForwardsIT {
  static final Duration SLOW = Duration.ofSeconds(90);
  // Above the kernel's ephemeral ports (32768-60999), where the daemon's own listeners are.
  static final int RANGE = 61000;

  ServiceHost host;
  Path s9pk;
  LanClient lan;
  String sentinel;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    s9pk = variant(Path.of("target/example-packages/ports-variant").toAbsolutePath());
    host = ServiceHost.start(dir);
    lan = LanClient.join(host);
    String ns = host.net.netns();
    // Someone else's rules in the same namespace, which startd must leave as they are.
    exec("ip", "netns", "exec", ns, "nft", "add table ip sentinel");
    exec(
        "ip",
        "netns",
        "exec",
        ns,
        "nft",
        "add chain ip sentinel input { type filter hook input priority 10; }");
    exec("ip", "netns", "exec", ns, "nft", "add rule ip sentinel input udp dport 9 drop");
    sentinel = othersRules();
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

  /** hello-world without its task, with a raw binding and a port range its runtime answers on. */
  static Path variant(Path build) throws Exception {
    ExamplePackages.copy("hello-world", build);
    Path src = build.resolve("startos");
    Files.writeString(
        src.resolve("init/taskSetName.ts"),
        """
        import { sdk } from '../sdk'
        import { readName, writeName } from '../page'

        export const taskSetName = sdk.setupOnInit(async () => {
          if ((await readName()) === null) {
            await writeName('World')
          }
        })
        """);
    String interfaces = Files.readString(src.resolve("interfaces.ts"));
    interfaces =
        interfaces.replace(
            "  return [await uiOrigin.export([ui])]",
            """
              const echoOrigin = await sdk.MultiHost.of(effects, 'echo').bindPort(5300, {
                protocol: null,
                preferredExternalPort: 5300,
                addSsl: null,
                secure: { ssl: false },
              })
              const echo = sdk.createInterface(effects, {
                name: 'Echo',
                id: 'echo',
                description: 'UDP echo',
                type: 'api',
                masked: false,
                schemeOverride: null,
                username: null,
                path: '',
                query: {},
              })
              const relay = await sdk.MultiHost.of(effects, 'relay').bindPortRange({
                internalStartPort: %d,
                externalStartPort: %d,
                numberOfPorts: 100,
              })
              await relay.export(
                sdk.createRangeInterface(effects, { id: 'relay', name: 'Relay', description: 'ports' }),
              )
              return [await uiOrigin.export([ui]), await echoOrigin.export([echo])]
            """
                .formatted(RANGE, RANGE));
    Files.writeString(src.resolve("interfaces.ts"), interfaces);
    String main = Files.readString(src.resolve("main.ts"));
    main =
        """
        import * as dgram from 'dgram'
        import * as net from 'net'
        """
            + main.replace(
                "export const main = sdk.setupMain(async ({ effects }) => {\n",
                """
                export const main = sdk.setupMain(async ({ effects }) => {
                  // The test's servers, in the runtime itself: an echo per UDP port, a greeting
                  // per TCP port. A second main finds them bound already, which is fine.
                  for (const port of [5300, %d]) {
                    const s = dgram.createSocket('udp4')
                    s.on('error', () => {})
                    s.on('message', (m, from) => s.send(m, from.port, from.address))
                    s.bind(port)
                  }
                  for (const port of [%d, %d]) {
                    const s = net.createServer((c) => c.end('range ' + port + '\\n'))
                    s.on('error', () => {})
                    s.listen(port)
                  }
                """
                    .formatted(RANGE + 50, RANGE, RANGE + 99));
    Files.writeString(src.resolve("main.ts"), main);
    return ExamplePackages.make(build, "hello-world");
  }

  @Test
  void udpRangesAndHostPortsOnRealContainers() throws Exception {
    try (var held = new DatagramSocket(new InetSocketAddress("0.0.0.0", 5300))) {
      host.ok("package", "install", "-s", s9pk.toString());
      int udpPort = udpPort();
      // The port the host uses was not given; the model shows the one that was.
      assertThat(udpPort).isPositive().isNotEqualTo(held.getLocalPort());
      assertThat(entry().at("/hosts/echo/bindings/5300/addresses/available/0/port").asInt())
          .isEqualTo(udpPort);

      host.ok("package", "start", "hello-world");
      assertReachable();

      // The range has no userspace listener: no socket on the host listens on its ports.
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[3].equals("0A")) {
            int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
            assertThat(port < RANGE || port > RANGE + 99)
                .as("no listener in %s on range port %d", table, port)
                .isTrue();
          }
        }
      }
      assertThat(table()).contains("tcp . " + RANGE + " : ", "udp . " + (RANGE + 99) + " : ");

      // A restart of the daemon empties the table and the service's init fills it again.
      host.restart();
      assertReachable();
    }

    host.ok("package", "uninstall", "hello-world");
    await("the forwards go with the package")
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(table()).isEmpty());
    assertThat(othersRules()).as("rules outside startd's table").isEqualTo(sentinel);
  }

  private int udpPort() throws Exception {
    return entry().at("/hosts/echo/bindings/5300/net/assignedPort").asInt();
  }

  /** The UDP binding, and the range on TCP and UDP, answer a client on the LAN. */
  private void assertReachable() {
    await("the UDP echo answers a LAN client")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          int port = udpPort();
          assertThat(table()).contains("udp . " + port + " : ");
          assertThat(fromLan("UDP4", port, "ping\n")).isEqualTo("ping\n");
        });
    await("the range answers a LAN client")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(fromLan("TCP4", RANGE, "")).isEqualTo("range " + RANGE + "\n");
          assertThat(fromLan("TCP4", RANGE + 99, "")).isEqualTo("range " + (RANGE + 99) + "\n");
          assertThat(fromLan("UDP4", RANGE + 50, "relay\n")).isEqualTo("relay\n");
        });
  }

  private void awaitRunning() {
    await("the service runs")
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

  private JsonNode entry() throws Exception {
    return host.entry("hello-world");
  }

  private String fromLan(String proto, int port, String send) throws Exception {
    return lan.send(proto, port, send);
  }

  /** startd's table in the bridge's namespace, or "" if there is none. */
  private String table() throws Exception {
    var p =
        new ProcessBuilder(
                "ip", "netns", "exec", host.net.netns(), "nft", "list", "table", "inet", "hearth")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? out : "";
  }

  /** Every table in the bridge's namespace but startd's, as nft lists them. */
  private String othersRules() throws Exception {
    List<String> out = new ArrayList<>();
    for (String t :
        run("", "ip", "netns", "exec", host.net.netns(), "nft", "list", "tables")
            .lines()
            .toList()) {
      if (!t.equals("table inet hearth")) {
        String[] f = t.split(" ");
        out.add(
            run("", "ip", "netns", "exec", host.net.netns(), "nft", "list", "table", f[1], f[2]));
      }
    }
    return String.join("\n", out);
  }

  private static void exec(String... argv) throws Exception {
    run("", argv);
  }

  private static String run(String stdin, String... argv) throws Exception {
    return LanClient.run(stdin, argv);
  }
}
