package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.HostnameInfo;
import dev.hearth.startd.service.model.HostnameInfo.Metadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which addresses a binding has, per gateway, and on which port each speaks TLS. */
class AddressPlanTest {
  static GatewayInfo gateway(String id, GatewayInfo.DeviceType type, String... ips) {
    return new GatewayInfo(
        null,
        null,
        new GatewayInfo.IpInfo(id, 7, type, List.of(), List.of(ips), null, List.of(), List.of()),
        GatewayInfo.Type.INBOUND_OUTBOUND);
  }

  private static final BindInfo.AddSsl ADD_SSL = new BindInfo.AddSsl(443, true, null, null, null);

  @Test
  void aBindingTheHostTerminatesTlsForIsListedAtItsTlsPortAndItsPlainOne() {
    var plan =
        AddressPlan.available(
            new BindInfo.Options(80, ADD_SSL, null),
            new BindInfo.Net(8080, 49443),
            Map.of(
                "eth0", gateway("eth0", GatewayInfo.DeviceType.ETHERNET, "192.168.1.5", "fe80::1")),
            "box");
    assertThat(plan)
        .containsExactly(
            new HostnameInfo(true, false, "192.168.1.5", 49443, new Metadata.Ipv4("eth0")),
            new HostnameInfo(true, false, "fe80::1", 49443, new Metadata.Ipv6("eth0", 7)),
            new HostnameInfo(true, false, "box.local", 49443, new Metadata.Mdns(List.of("eth0"))),
            new HostnameInfo(false, false, "192.168.1.5", 8080, new Metadata.Ipv4("eth0")),
            new HostnameInfo(false, false, "fe80::1", 8080, new Metadata.Ipv6("eth0", 7)),
            new HostnameInfo(false, false, "box.local", 8080, new Metadata.Mdns(List.of("eth0"))));
  }

  @Test
  void aSecureBindingIsTlsAtItsOnePortAndARawOneIsNot() {
    var gateways = Map.of("eth0", gateway("eth0", GatewayInfo.DeviceType.ETHERNET, "10.0.0.2"));
    assertThat(
            AddressPlan.available(
                new BindInfo.Options(8443, null, new BindInfo.Security(true)),
                new BindInfo.Net(8443, null),
                gateways,
                "box"))
        .extracting(HostnameInfo::ssl)
        .containsOnly(true);
    assertThat(
            AddressPlan.available(
                new BindInfo.Options(22, null, null),
                new BindInfo.Net(2222, null),
                gateways,
                "box"))
        .extracting(HostnameInfo::ssl, HostnameInfo::port)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(false, 2222));
  }

  @Test
  void mdnsAnswersOnEveryLanGatewayButNotOnLoopbackAndAPublicAddressIsMarkedPublic() {
    var plan =
        AddressPlan.available(
            new BindInfo.Options(80, null, null),
            new BindInfo.Net(80, null),
            Map.of(
                "eth0", gateway("eth0", GatewayInfo.DeviceType.ETHERNET, "203.0.113.7"),
                "lo", gateway("lo", GatewayInfo.DeviceType.LOOPBACK, "127.0.0.1"),
                "wlan0", gateway("wlan0", GatewayInfo.DeviceType.WIRELESS, "192.168.8.3")),
            "box");
    assertThat(plan)
        .filteredOn(h -> h.hostname().equals("203.0.113.7"))
        .singleElement()
        .extracting(HostnameInfo::exposed)
        .isEqualTo(true);
    assertThat(plan)
        .filteredOn(h -> h.metadata() instanceof Metadata.Mdns)
        .singleElement()
        .satisfies(h ->
            assertThat(((Metadata.Mdns) h.metadata()).gateways())
                .containsExactlyInAnyOrder("eth0", "wlan0"));
    assertThat(plan).filteredOn(h -> h.hostname().equals("127.0.0.1")).hasSize(1);
  }

  @Test
  void noPortsNoAddresses() {
    assertThat(
            AddressPlan.available(
                new BindInfo.Options(80, ADD_SSL, null),
                new BindInfo.Net(null, null),
                Map.of("eth0", gateway("eth0", GatewayInfo.DeviceType.ETHERNET, "10.0.0.2")),
                "box"))
        .isEmpty();
  }
}
