package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Turning an address off really refuses it (issue 15): in a namespace made for the test, with two
 * addresses on one interface and a real TCP listener on both, the table refuses the one turned off
 * at once (a reset, not a timeout), leaves the other answering on the same port, and answers again
 * once it is turned back on; another table in the namespace is never touched.
 */
class FirewallIT {
  private final String ns =
      "hearth-f" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  private Process listener;

  @BeforeEach
  void namespace() throws Exception {
    sh("ip", "netns", "add", ns);
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    sh("ip", "-n", ns, "link", "add", "lan0", "type", "bridge");
    sh("ip", "-n", ns, "addr", "add", "10.9.1.1/24", "dev", "lan0");
    sh("ip", "-n", ns, "addr", "add", "10.9.1.2/24", "dev", "lan0");
    sh("ip", "-n", ns, "link", "set", "lan0", "up");
    sh("ip", "netns", "exec", ns, "nft", "add table ip sentinel");
    listener =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "socat",
                "TCP-LISTEN:8443,fork,reuseaddr",
                "SYSTEM:echo answered")
            .redirectErrorStream(true)
            .start();
    for (int i = 0; i < 50 && !answers("10.9.1.1"); i++) {
      Thread.sleep(50);
    }
  }

  @AfterEach
  void delete() throws Exception {
    listener.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    sh("ip", "netns", "delete", ns);
  }

  @Test
  void anAddressTurnedOffIsRefusedAndAnswersAgainWhenTurnedOn() throws Exception {
    assertThat(answers("10.9.1.1")).isTrue();
    try (NatTable t = NatTable.open(ns, "br-f", "10.9.0.0/24")) {
      t.block(List.of(new Blocked(InetAddress.ofLiteral("10.9.1.1"), 8443)));
      assertThat(t.list()).contains("10.9.1.1 . 8443");
      assertThat(connect("10.9.1.1")).as("turned off").contains("Connection refused");
      assertThat(answers("10.9.1.2")).as("the other address, same port").isTrue();

      // beside forwards, a forwarded packet is refused by its address before DNAT
      t.set(
          List.of(
              new Dnat(
                  Protocol.UDP, 8443, 1, (Inet4Address) InetAddress.ofLiteral("10.9.0.5"), 53)));
      assertThat(t.list()).contains("ct original ip daddr . ct original proto-dst @blocked4");
      assertThat(connect("10.9.1.1")).as("still off").contains("Connection refused");
      t.set(List.of());

      t.block(List.of());
      assertThat(answers("10.9.1.1")).as("turned on again").isTrue();
      assertThat(t.list()).as("nothing to refuse, nothing forwarded: no table").isEmpty();
    }
    assertThat(sh("ip", "netns", "exec", ns, "nft", "list", "tables").strip())
        .isEqualTo("table ip sentinel");
  }

  private boolean answers(String address) throws Exception {
    return connect(address).contains("answered");
  }

  /** What a TCP client in the namespace gets from {@code address:8443}, errors included. */
  private String connect(String address) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ip", "netns", "exec", ns, "socat", "-T", "3", "-", "TCP:" + address + ":8443")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static String sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
    return out;
  }
}
