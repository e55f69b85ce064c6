package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nft transaction a state of forwards produces (issue 12 §5). */
class NftRulesetTest {
  private static final Inet4Address C = ip("10.0.3.5");

  private static Inet4Address ip(String s) {
    try {
      return (Inet4Address) InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void noForwardsLeaveNoTableBehind() {
    assertThat(NftRuleset.render("br0", "10.0.3.0/24", List.of()))
        .isEqualTo("table inet hearth {}\ndelete table inet hearth\n");
  }

  @Test
  void aStateIsWrittenAsOneTransactionThatReplacesTheWholeTable() {
    String script =
        NftRuleset.render("br0", "10.0.3.0/24", List.of(new Dnat(Protocol.UDP, 5300, 1, C, 53)));
    assertThat(script)
        .isEqualTo(
            """
            table inet hearth {}
            delete table inet hearth
            table inet hearth {
              comment "hearth startd: port forwards into containers, addresses turned off (docs/networking.md)"
              map forwards {
                type inet_proto . inet_service : ipv4_addr . inet_service
                elements = {
                  udp . 5300 : 10.0.3.5 . 53
                }
              }
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                meta l4proto { tcp, udp } fib daddr type local \
            dnat ip addr . port to meta l4proto . th dport map @forwards
              }
              chain output {
                type nat hook output priority -100; policy accept;
                meta l4proto { tcp, udp } ip daddr != 127.0.0.0/8 fib daddr type local \
            dnat ip addr . port to meta l4proto . th dport map @forwards
              }
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "br0" ip saddr 10.0.3.0/24 ct status dnat masquerade
              }
              chain forward {
                type filter hook forward priority filter; policy accept;
                oifname "br0" ct state established,related accept
                oifname "br0" ct status dnat accept
                oifname "br0" drop
              }
            }
            """);
  }

  @Test
  void aRangeIsOneMapElementPerPortAndProtocolMappedByOffset() {
    assertThat(
            NftRuleset.elements(
                List.of(
                    new Dnat(Protocol.UDP, 45000, 3, C, 46000),
                    new Dnat(Protocol.TCP, 45000, 3, C, 46000))))
        .containsExactly(
            "tcp . 45000 : 10.0.3.5 . 46000",
            "tcp . 45001 : 10.0.3.5 . 46001",
            "tcp . 45002 : 10.0.3.5 . 46002",
            "udp . 45000 : 10.0.3.5 . 46000",
            "udp . 45001 : 10.0.3.5 . 46001",
            "udp . 45002 : 10.0.3.5 . 46002");
  }

  @Test
  void aBridgeNameThatIsNotAnInterfaceNameIsRefused() {
    assertThatThrownBy(() ->
            NftRuleset.render(
                "br0\"; flush ruleset",
                "10.0.3.0/24",
                List.of(new Dnat(Protocol.UDP, 5300, 1, C, 53))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an interface name");
  }

  @Test
  void forwardsOverlapOnlyOnACommonPortOfOneProtocol() {
    var range = new Dnat(Protocol.TCP, 45000, 10, C, 45000);
    assertThat(range.overlaps(new Dnat(Protocol.TCP, 45009, 1, C, 1))).isTrue();
    assertThat(range.overlaps(new Dnat(Protocol.TCP, 45010, 1, C, 1))).isFalse();
    assertThat(range.overlaps(new Dnat(Protocol.UDP, 45005, 1, C, 1))).isFalse();
  }

  @Test
  void portsBeyond65535AreRefused() {
    assertThatThrownBy(() -> new Dnat(Protocol.TCP, 65530, 10, C, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("external ports 65530+10");
  }
}
