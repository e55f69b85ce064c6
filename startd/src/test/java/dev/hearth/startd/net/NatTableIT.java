package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The table in a network namespace made for the test, through the real {@code nft}: it holds what
 * it is told, a refused change leaves it as it was, and another table in the namespace is never
 * touched.
 */
class NatTableIT {
  private final String ns =
      "hearth-n" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  private String others;

  @BeforeEach
  void namespace() throws Exception {
    sh("ip", "netns", "add", ns);
    sh("ip", "-n", ns, "link", "add", "br-n", "type", "bridge");
    sh("ip", "netns", "exec", ns, "nft", "add table ip sentinel");
    sh(
        "ip",
        "netns",
        "exec",
        ns,
        "nft",
        "add chain ip sentinel input { type filter hook input priority 10; }");
    sh("ip", "netns", "exec", ns, "nft", "add rule ip sentinel input udp dport 9 drop");
    others = sh("ip", "netns", "exec", ns, "nft", "list", "table", "ip", "sentinel");
  }

  @AfterEach
  void delete() throws Exception {
    sh("ip", "netns", "delete", ns);
  }

  @Test
  void theTableHoldsWhatItIsToldAndNothingElseChanges() throws Exception {
    Inet4Address c = (Inet4Address) InetAddress.getByName("10.9.0.5");
    try (NatTable t = NatTable.open(ns, "br-n", "10.9.0.0/24")) {
      assertThat(t.list()).as("an idle startd has no table").isEmpty();
      t.set(
          List.of(
              new Dnat(Protocol.TCP, 45000, 100, c, 45000),
              new Dnat(Protocol.UDP, 45000, 100, c, 45000),
              new Dnat(Protocol.UDP, 5300, 1, c, 53)));
      assertThat(t.list())
          .contains("tcp . 45099 : 10.9.0.5 . 45099", "udp . 5300 : 10.9.0.5 . 53")
          .contains("oifname \"br-n\" drop");
      assertThat(sh("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.ip_forward").strip())
          .isEqualTo("1");

      t.set(List.of(new Dnat(Protocol.UDP, 5301, 1, c, 53)));
      assertThat(t.list()).contains("udp . 5301 : 10.9.0.5 . 53").doesNotContain("45000");

      assertThatThrownBy(() ->
              t.set(
                  List.of(
                      new Dnat(Protocol.UDP, 5301, 1, c, 53),
                      new Dnat(Protocol.UDP, 5300, 2, c, 53))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(t.list()).as("a refused change").contains("udp . 5301 : 10.9.0.5 . 53");
    }
    assertThat(sh("ip", "netns", "exec", ns, "nft", "list", "tables").strip())
        .as("closed: startd's table is gone")
        .isEqualTo("table ip sentinel");
    assertThat(sh("ip", "netns", "exec", ns, "nft", "list", "table", "ip", "sentinel"))
        .isEqualTo(others);
  }

  @Test
  void aTableLeftByACrashedRunIsEmptiedAtOpen() throws Exception {
    Inet4Address c = (Inet4Address) InetAddress.getByName("10.9.0.5");
    NatTable crashed = NatTable.open(ns, "br-n", "10.9.0.0/24");
    crashed.set(List.of(new Dnat(Protocol.UDP, 5300, 1, c, 53)));
    try (NatTable t = NatTable.open(ns, "br-n", "10.9.0.0/24")) {
      assertThat(t.list()).isEmpty();
    }
  }

  @Test
  void aMissingNamespaceIsANetworkError() {
    assertThatThrownBy(() -> NatTable.open("hearth-none", "br-n", "10.9.0.0/24"))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("nft refused");
  }

  private static String sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
    return out;
  }
}
