package dev.hearth.startd.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.HostnameInfo;
import dev.hearth.startd.service.model.HostnameInfo.Metadata;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Private addresses are on until turned off; public ones are off until turned on. */
class AddressTogglesTest {
  private static final HostnameInfo LAN =
      new HostnameInfo(true, false, "192.168.1.5", 443, new Metadata.Ipv4("eth0"));
  private static final HostnameInfo WAN =
      new HostnameInfo(true, true, "203.0.113.7", 443, new Metadata.Ipv4("eth0"));
  private static final HostnameInfo V6 =
      new HostnameInfo(true, false, "fd00::5", 443, new Metadata.Ipv6("eth0", 0));
  private static final HostnameInfo LOOPBACK =
      new HostnameInfo(false, false, "127.0.0.1", 80, new Metadata.Ipv4("lo"));
  private static final BindInfo.Addresses ALL =
      new BindInfo.Addresses(null, null, null, List.of(LAN, WAN, V6, LOOPBACK));

  @Test
  void defaultsArePrivateOnAndPublicOff() {
    assertThat(AddressToggles.enabled(ALL)).containsExactly(LAN, V6, LOOPBACK);
  }

  @Test
  void turningOffAndOnWritesTheSpecsOverrides() {
    var off = AddressToggles.set(ALL, LAN, false);
    assertThat(off.disabled()).containsExactly(new BindInfo.HostPort("192.168.1.5", 443));
    assertThat(AddressToggles.isEnabled(off, LAN)).isFalse();
    var wanOn = AddressToggles.set(off, WAN, true);
    assertThat(wanOn.enabled()).containsExactly("203.0.113.7:443");
    assertThat(AddressToggles.isEnabled(wanOn, WAN)).isTrue();
    var v6Off = AddressToggles.set(wanOn, V6, false);
    assertThat(AddressToggles.isEnabled(v6Off, V6)).isFalse();
    assertThat(AddressToggles.socketAddress(V6)).isEqualTo("[fd00::5]:443");
    var back = AddressToggles.set(AddressToggles.set(v6Off, LAN, true), WAN, false);
    assertThat(back.enabled()).isEmpty();
    assertThat(back.disabled()).containsExactly(new BindInfo.HostPort("fd00::5", 443));
    assertThat(back.available()).isEqualTo(ALL.available());
  }

  @Test
  void anUnknownAddressIsNotFoundAndLoopbackCannotBeTurnedOff() {
    var other = new HostnameInfo(true, false, "192.168.1.9", 443, new Metadata.Ipv4("eth0"));
    assertThatThrownBy(() -> AddressToggles.set(ALL, other, false))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("not an address of this binding");
    assertThatThrownBy(() -> AddressToggles.set(ALL, LOOPBACK, false))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("loopback");
  }
}
