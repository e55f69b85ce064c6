package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.HostnameInfo;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network subsystem against a real database: the gateways and every address follow the
 * interfaces and the hostname, a toggle is one write, and the firewall is told what is off.
 */
class NetTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<Map<String, GatewayInfo>> interfaces =
      new AtomicReference<>(
          Map.of(
              "eth0",
              AddressPlanTest.gateway("eth0", GatewayInfo.DeviceType.ETHERNET, "10.0.0.5"),
              "lo",
              AddressPlanTest.gateway("lo", GatewayInfo.DeviceType.LOOPBACK, "127.0.0.1")));
  private final AtomicReference<List<Blocked>> firewall = new AtomicReference<>();

  private static Database open(Path dir) {
    Database db = Database.open(dir, JSON, Migrations.standard());
    db.mutate(tx ->
        tx.put(
            JsonPointer.ROOT,
            Json.parse(
                """
                {"public":{"serverInfo":{"hostname":"box","unreadNotificationCount":0,
                  "network":{"gateways":{},"host":{"bindings":{},"bindingRanges":{},
                  "publicDomains":{},"privateDomains":{},"portForwards":[]}}},
                 "packageData":{},"notifications":{}},"private":{"packages":{}}}\
                """)));
    return db;
  }

  private Net net(Database db) {
    return new Net(db, interfaces::get, firewall::set, () -> new ServerHost(8080, 8443));
  }

  private static List<HostnameInfo> available(Database db) {
    return db.snapshot()
        .get(NetPaths.SERVER_HOST)
        .orElseThrow()
        .bindings()
        .get(ServerHost.INTERNAL_PORT)
        .addresses()
        .available();
  }

  private static HostnameInfo find(Database db, String host, int port) {
    return available(db).stream()
        .filter(h -> h.hostname().equals(host) && h.port() == port)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theServersOwnUiIsAHostWithAnAddressPerGatewayAndMdns(@TempDir Path dir) {
    try (Database db = open(dir);
        Net net = net(db)) {
      net.start();
      assertThat(net.gateways()).containsOnlyKeys("eth0", "lo");
      assertThat(available(db))
          .extracting(HostnameInfo::hostname, HostnameInfo::port, HostnameInfo::ssl)
          .contains(
              org.assertj.core.groups.Tuple.tuple("10.0.0.5", 8443, true),
              org.assertj.core.groups.Tuple.tuple("box.local", 8443, true),
              org.assertj.core.groups.Tuple.tuple("127.0.0.1", 8080, false));
      await().atMost(Duration.ofSeconds(5)).until(() -> firewall.get() != null);
      assertThat(firewall.get()).isEmpty();
    }
  }

  @Test
  void anAddressTurnedOffIsRefusedByTheFirewallAndATurnedOnOneIsNot(@TempDir Path dir) {
    try (Database db = open(dir);
        Net net = net(db)) {
      net.start();
      net.setAddressEnabled(null, null, 80, find(db, "10.0.0.5", 8443), false);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() ->
              assertThat(firewall.get())
                  .containsExactly(new Blocked(InetAddress.ofLiteral("10.0.0.5"), 8443)));
      assertThat(
              db.snapshot()
                  .get(NetPaths.SERVER_HOST)
                  .orElseThrow()
                  .bindings()
                  .get(80)
                  .addresses()
                  .disabled())
          .containsExactly(new BindInfo.HostPort("10.0.0.5", 8443));

      net.setAddressEnabled(null, null, 80, find(db, "10.0.0.5", 8443), true);
      await().atMost(Duration.ofSeconds(5)).until(() -> firewall.get().isEmpty());

      assertThatThrownBy(
              () -> net.setAddressEnabled(null, null, 80, find(db, "127.0.0.1", 8080), false))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("loopback");
    }
  }

  @Test
  void aNewAddressAndARenameChangeEveryAddressAndKeepTheToggles(@TempDir Path dir) {
    try (Database db = open(dir);
        Net net = net(db)) {
      net.start();
      net.setAddressEnabled(null, null, 80, find(db, "10.0.0.5", 8080), false);
      interfaces.set(
          Map.of(
              "eth0",
              AddressPlanTest.gateway(
                  "eth0", GatewayInfo.DeviceType.ETHERNET, "10.0.0.5", "203.0.113.7")));
      net.refreshGateways();
      assertThat(available(db)).extracting(HostnameInfo::hostname).contains("203.0.113.7");
      assertThat(net.gateways()).containsOnlyKeys("eth0");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() ->
              assertThat(firewall.get())
                  .as("a public address is off until turned on")
                  .containsExactlyInAnyOrder(
                      new Blocked(InetAddress.ofLiteral("10.0.0.5"), 8080),
                      new Blocked(InetAddress.ofLiteral("203.0.113.7"), 8443),
                      new Blocked(InetAddress.ofLiteral("203.0.113.7"), 8080)));

      db.mutate(tx -> tx.put(PublicPaths.HOSTNAME, "renamed"));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() ->
              assertThat(available(db))
                  .extracting(HostnameInfo::hostname)
                  .contains("renamed.local")
                  .doesNotContain("box.local"));

      net.setGatewayName("eth0", "Home LAN");
      assertThat(net.gateways().get("eth0").name()).isEqualTo("Home LAN");
      net.refreshGateways();
      assertThat(net.gateways().get("eth0").name()).as("kept across scans").isEqualTo("Home LAN");
    }
  }

  @Test
  void aRestartKeepsTheTogglesAndTellsTheFirewallAgain(@TempDir Path dir) {
    try (Database db = open(dir)) {
      try (Net net = net(db)) {
        net.start();
        net.setAddressEnabled(null, null, 80, find(db, "10.0.0.5", 8443), false);
      }
      firewall.set(null);
      try (Net net = net(db)) {
        net.start();
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() ->
                assertThat(firewall.get())
                    .containsExactly(new Blocked(InetAddress.ofLiteral("10.0.0.5"), 8443)));
        Host h = db.snapshot().get(NetPaths.SERVER_HOST).orElseThrow();
        assertThat(h.bindings().get(80).interfaces()).containsKey(ServerHost.INTERFACE_ID);
      }
    }
  }
}
