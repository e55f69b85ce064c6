package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.net.Protocol;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which host ports a package may have (issue 12 §5), with real sockets on the ports asked for. */
class HostPortsTest {
  private final HostPorts ports = new HostPorts(Set.of(8443));

  @Test
  void theHostsOwnServicesAreRefusedWhateverTheirNumber() {
    assertThat(ports.refusal(22, Set.of(Protocol.TCP))).contains("the host's own");
    assertThat(ports.refusal(53, Set.of(Protocol.UDP))).contains("the host's own");
    assertThat(ports.refusal(5353, Set.of(Protocol.UDP))).contains("the host's own");
  }

  @Test
  void privilegedAndTheDaemonsPortsAreRefused() {
    assertThat(ports.refusal(80, Set.of(Protocol.TCP))).contains("privileged");
    assertThat(ports.refusal(8443, Set.of(Protocol.TCP))).contains("the server's own");
  }

  @Test
  void aPortWithATcpListenerIsRefusedForTcp() throws Exception {
    try (var held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ports.refusal(held.getLocalPort(), Set.of(Protocol.TCP)))
          .isEqualTo("TCP port " + held.getLocalPort() + " is in use on the host");
    }
  }

  @Test
  void aPortWithABoundUdpSocketIsRefusedForUdpAndForARangeOverIt() throws Exception {
    try (var held = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      int p = held.getLocalPort();
      assertThat(ports.refusal(p, Set.of(Protocol.TCP, Protocol.UDP)))
          .isEqualTo("UDP port " + p + " is in use on the host");
      assertThat(ports.refusal(p - 3, 10, Set.of(Protocol.TCP, Protocol.UDP)))
          .isEqualTo("UDP port " + p + " is in use on the host");
    }
  }

  @Test
  void aFreeUnprivilegedPortIsAllowed() throws Exception {
    int p;
    try (var probe = new ServerSocket(0)) {
      p = probe.getLocalPort();
    }
    assertThat(ports.refusal(p, Set.of(Protocol.TCP))).isNull();
  }
}
