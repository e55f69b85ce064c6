package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.NetApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.startd.Servers;
import dev.hearth.startd.StartdProcess;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a LAN, as a new user meets it (issue 15): the daemon runs inside a network
 * namespace of the test's ("the server"), a second one is a LAN client joined to it by a veth pair,
 * and the test itself reaches the server over another veth. The LAN client fetches the UI over
 * HTTPS at the server's LAN address with the Root CA as its only trust anchor, resolves {@code
 * <hostname>.local} by an mDNS query and fetches it there too; turning that LAN address off makes
 * it refuse connections while the server's other address still answers, and turning it on again
 * restores it; a rename is seen by a new query and served with a certificate for the new name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkIT {
  private final String tag = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  private final String server = "hearth-s" + tag;
  private final String client = "hearth-c" + tag;
  private final int octet = 16 + new SecureRandom().nextInt(200);
  private final String lanServer = "10.253." + octet + ".1";
  private final String lanClient = "10.253." + octet + ".2";
  private final String testSide = "10.252." + octet + ".1";
  private final String serverSide = "10.252." + octet + ".2";

  private StartdProcess startd;
  private Path ca;
  private Path query;
  private RpcClient admin;
  private String hostname;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    sh("ip", "netns", "add", server);
    sh("ip", "netns", "add", client);
    sh("ip", "-n", server, "link", "set", "lo", "up");
    sh("ip", "-n", client, "link", "set", "lo", "up");
    link(server, "hl" + tag, lanServer, client, "hc" + tag, lanClient);
    sh("ip", "link", "add", "ht" + tag, "type", "veth", "peer", "name", "hu" + tag);
    sh("ip", "link", "set", "hu" + tag, "netns", server);
    sh("ip", "addr", "add", testSide + "/24", "dev", "ht" + tag);
    sh("ip", "link", "set", "ht" + tag, "up");
    sh("ip", "-n", server, "addr", "add", serverSide + "/24", "dev", "hu" + tag);
    sh("ip", "-n", server, "link", "set", "hu" + tag, "up");

    query = dir.resolve("mdns-query.py");
    try (InputStream in =
        getClass().getResourceAsStream("/dev/hearth/startd/net/mdns/mdns-query.py")) {
      Files.copy(in, query);
    }
    startd =
        StartdProcess.startInNamespace(
            dir.resolve("server"),
            server,
            serverSide,
            "--listen",
            "0.0.0.0:0",
            "--tls",
            "0.0.0.0:0",
            "--registry",
            "http://127.0.0.1:9/");
    hostname = Servers.setUp(startd, "LAN Box").hostname();
    startd.tlsUrl(); // HTTPS is up
    admin = startd.client();
    admin.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
    ca = dir.resolve("root-ca.crt");
    try (HttpClient http = HttpClient.newHttpClient()) {
      Files.write(
          ca,
          http.send(
                  HttpRequest.newBuilder(startd.url().resolve("/static/local-root-ca.crt")).build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body());
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    try {
      if (admin != null) {
        admin.close();
      }
      if (startd != null) {
        startd.close();
      }
    } finally {
      quietly("ip", "link", "delete", "ht" + tag);
      quietly("ip", "netns", "delete", client);
      quietly("ip", "netns", "delete", server);
    }
  }

  @Test
  void aLanClientReachesTheUiOverHttpsByAddressAndByNameAndATurnedOffAddressRefuses()
      throws Exception {
    int tls = startd.tlsUrl().getPort();
    String byIp = "https://" + lanServer + ":" + tls + "/";
    await("the LAN gateway is listed")
        .atMost(Duration.ofSeconds(20))
        .until(() -> gatewayAddresses().contains(lanServer));
    assertThat(fromClient("curl", "-sS", "--max-time", "5", "--cacert", ca.toString(), byIp))
        .contains("<html");

    // plain HTTP from the LAN goes to HTTPS (the Root CA itself stays downloadable in the clear)
    int http = startd.url().getPort();
    assertThat(
            fromClient(
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{redirect_url}",
                "http://" + lanServer + ":" + http + "/services?x=1"))
        .isEqualTo("308 https://" + lanServer + ":" + tls + "/services?x=1");
    assertThat(
            fromClient(
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "http://" + lanServer + ":" + http + "/static/local-root-ca.crt"))
        .isEqualTo("200");
    // a Host that is no host name cannot steer the redirect elsewhere: refused, no Location
    assertThat(
            fromClient(
                "curl",
                "-sS",
                "-H",
                "Host: evil_example.test",
                "-w",
                " %{http_code} [%{redirect_url}]",
                "http://" + lanServer + ":" + http + "/services"))
        .contains("bad Host")
        .endsWith(" 400 []");

    // <hostname>.local, found by an mDNS query from the LAN client, served with its name
    String local = hostname + ".local";
    assertThat(resolve(local)).containsExactly(lanServer);
    assertThat(byName(local, tls)).contains("<html");

    // the LAN address turned off: refused at once; the server's other address still answers
    JsonNode lan = address(lanServer, tls);
    admin.call(
        NetApi.SERVER_SET_ADDRESS_ENABLED,
        new NetApi.SetAddressEnabled(null, null, 80, lan, false));
    await("the LAN address refuses")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(
                    fromClient("curl", "-sS", "--max-time", "5", "--cacert", ca.toString(), byIp))
                .contains("Failed to connect"));
    assertThat(curl("--cacert", ca.toString(), "https://" + serverSide + ":" + tls + "/"))
        .contains("<html");
    admin.call(
        NetApi.SERVER_SET_ADDRESS_ENABLED, new NetApi.SetAddressEnabled(null, null, 80, lan, true));
    await("the LAN address answers again")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(
                    fromClient("curl", "-sS", "--max-time", "5", "--cacert", ca.toString(), byIp))
                .contains("<html"));

    // a rename: the new name answers a new query, the old one no longer does
    admin.call(ServerApi.SET_HOSTNAME, new ServerApi.SetHostnameParams(null, "renamed-" + tag));
    String renamed = "renamed-" + tag + ".local";
    await("the new name resolves")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(resolve(renamed)).containsExactly(lanServer));
    assertThat(resolve(local)).as("the old name").isEmpty();
    await("a certificate for the new name")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(byName(renamed, tls)).contains("<html"));
  }

  private List<String> gatewayAddresses() throws Exception {
    List<String> out = new ArrayList<>();
    Map<String, JsonNode> gateways = admin.call(NetApi.GATEWAY_LIST, new Empty());
    gateways
        .values()
        .forEach(g -> g.path("ipInfo").path("lanIp").forEach(a -> out.add(a.asText())));
    return out;
  }

  /** The UI's TLS address at {@code host}, as the server lists it. */
  private JsonNode address(String host, int port) throws Exception {
    for (NetApi.Address a : admin.call(NetApi.SERVER_ADDRESS_LIST, new Empty()).get("80")) {
      JsonNode h = a.address();
      if (h.path("hostname").asText().equals(host) && h.path("port").asInt() == port) {
        return h;
      }
    }
    throw new AssertionError("no address " + host + ":" + port);
  }

  /** The addresses an mDNS query from the LAN client gets for {@code name}. */
  private List<String> resolve(String name) throws Exception {
    String out = fromClient("python3", query.toString(), "query", lanClient, name, "A", "2");
    List<String> addresses = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] words = line.strip().split("\\s+");
      if (words.length == 4 && words[0].equalsIgnoreCase(name) && words[1].equals("A")) {
        addresses.add(words[3]);
      }
    }
    return addresses;
  }

  /** The UI fetched from the LAN client at {@code name} (resolved by mDNS), over HTTPS. */
  private String byName(String name, int port) throws Exception {
    return fromClient(
        "curl",
        "-sS",
        "--max-time",
        "5",
        "--cacert",
        ca.toString(),
        "--resolve",
        name + ":" + port + ":" + lanServer,
        "https://" + name + ":" + port + "/");
  }

  private String fromClient(String... argv) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", client));
    command.addAll(List.of(argv));
    return run(command);
  }

  private static String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  private static void link(String nsA, String ifA, String ipA, String nsB, String ifB, String ipB)
      throws Exception {
    sh("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
    sh("ip", "-n", nsA, "addr", "add", ipA + "/24", "dev", ifA);
    sh("ip", "-n", nsB, "addr", "add", ipB + "/24", "dev", ifB);
    sh("ip", "-n", nsA, "link", "set", ifA, "up");
    sh("ip", "-n", nsB, "link", "set", ifB, "up");
  }

  private static void sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
  }

  private static void quietly(String... argv) {
    try {
      run(List.of(argv));
    } catch (Exception e) {
      // cleaning up: what is already gone is fine
    }
  }
}
