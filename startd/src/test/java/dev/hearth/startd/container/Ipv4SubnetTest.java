package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
  @Test
  void theHostIsTheFirstAddressAndContainersFollow() {
    Ipv4Subnet s = Ipv4Subnet.parse("10.0.3.0/24");
    assertThat(s.host().getHostAddress()).isEqualTo("10.0.3.1");
    assertThat(s.container(0).getHostAddress()).isEqualTo("10.0.3.2");
    assertThat(s.container(252).getHostAddress()).isEqualTo("10.0.3.254");
    assertThat(s.broadcast().getHostAddress()).isEqualTo("10.0.3.255");
    assertThat(s.capacity()).isEqualTo(253);
    assertThatThrownBy(() -> s.container(253)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(s).hasToString("10.0.3.0/24");
  }

  @Test
  void anAddressOverlapsWhenEitherNetworkHoldsTheOther() {
    Ipv4Subnet s = Ipv4Subnet.parse("10.47.0.0/24");
    int inside = Ipv4Subnet.toInt(Ipv4Subnet.parseAddress("a", "10.47.0.9"));
    int beside = Ipv4Subnet.toInt(Ipv4Subnet.parseAddress("a", "10.47.1.1"));
    assertThat(s.overlaps(inside, 24)).isTrue();
    assertThat(s.overlaps(inside, 32)).isTrue();
    assertThat(s.overlaps(beside, 24)).isFalse();
    assertThat(s.overlaps(beside, 16)).isTrue(); // 10.47.0.0/16 holds the subnet
    assertThat(s.overlaps(beside, 0)).isTrue();
  }

  @Test
  void anotherInterfacesAddressInTheSubnetIsAClashTheBridgesOwnIsNot() {
    String ipAddrs =
        """
        1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
        4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever
        7: hearth0    inet 10.0.3.1/24 brd 10.0.3.255 scope global hearth0\\       valid_lft forever
        9: lxcbr0    inet 10.0.3.1/24 brd 10.0.3.255 scope global lxcbr0\\       valid_lft forever
        12: veth1@if11    inet 10.8.0.1/16 scope global veth1\\       valid_lft forever
        """;
    assertThat(ContainerNetwork.clash(ipAddrs, "hearth0", Ipv4Subnet.parse("10.0.3.0/24")))
        .isEqualTo("10.0.3.1/24 on lxcbr0");
    assertThat(ContainerNetwork.clash(ipAddrs, "hearth0", Ipv4Subnet.parse("10.8.3.0/24")))
        .isEqualTo("10.8.0.1/16 on veth1");
    assertThat(ContainerNetwork.clash(ipAddrs, "hearth0", Ipv4Subnet.parse("10.47.0.0/24")))
        .isNull();
    assertThat(ContainerNetwork.clash(ipAddrs, "lxcbr0", Ipv4Subnet.parse("10.0.3.0/24")))
        .isEqualTo("10.0.3.1/24 on hearth0");
  }

  @Test
  void widePrefixesAndHighAddressesWork() {
    Ipv4Subnet s = Ipv4Subnet.parse("172.16.0.0/12");
    assertThat(s.host().getHostAddress()).isEqualTo("172.16.0.1");
    assertThat(s.broadcast().getHostAddress()).isEqualTo("172.31.255.255");
    assertThat(s.container(300).getHostAddress()).isEqualTo("172.16.1.46");
    Ipv4Subnet high = Ipv4Subnet.parse("240.0.0.0/30");
    assertThat(high.capacity()).isEqualTo(1);
    assertThat(high.container(0).getHostAddress()).isEqualTo("240.0.0.2");
  }

  @Test
  void malformedSubnetsAreRefusedWithTheRuleTheyBreak() {
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.3.0")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.3.1/24"))
        .hasMessageContaining("host bits zero")
        .hasMessageContaining("10.0.3.0/24");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.3.0/31")).hasMessageContaining("8..30");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.3.0/x")).hasMessageContaining("number");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.300.0/24")).hasMessageContaining("IPv4");
    assertThatThrownBy(() -> Ipv4Subnet.parse("example.com/24")).hasMessageContaining("IPv4");
    assertThatThrownBy(() -> Ipv4Subnet.parseAddress("bind", "::1")).hasMessageContaining("bind");
  }

  @Test
  void thePoolHandsOutTheLowestFreeAddressAndRefusesWhenFull() {
    AddressPool pool = new AddressPool(Ipv4Subnet.parse("10.9.0.0/29")); // 5 containers
    List<Inet4Address> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      got.add(pool.allocate());
    }
    assertThat(got.stream().map(Inet4Address::getHostAddress))
        .containsExactly("10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6");
    assertThatThrownBy(pool::allocate)
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK));
    pool.release(got.get(1));
    assertThat(pool.allocate().getHostAddress()).isEqualTo("10.9.0.3");
    pool.release(got.get(4));
    assertThatThrownBy(() -> pool.release(got.get(4))).isInstanceOf(IllegalStateException.class);
  }
}
