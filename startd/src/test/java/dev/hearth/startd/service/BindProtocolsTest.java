package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.jsonrpc.RpcFailure;
import dev.hearth.startd.net.Dnat;
import dev.hearth.startd.net.Protocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a binding is forwarded (issue 12 §5): raw bindings for UDP too, on the one port their TCP
 * side got; a port the host uses is never given, and the model shows the port that was.
 */
class BindProtocolsTest {
  private final EffectsFixture f = new EffectsFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private static String raw(int internal, int preferred) {
    return "{\"id\":\"dns\",\"internalPort\":"
        + internal
        + ",\"preferredExternalPort\":"
        + preferred
        + ",\"addSsl\":null,\"secure\":{\"ssl\":false}}";
  }

  private JsonNode binding(int internal) {
    return f.entry().path("hosts").path("dns").path("bindings").path(String.valueOf(internal));
  }

  @Test
  void aRawBindingIsForwardedForUdpOnThePortItsTcpSideGot() throws Exception {
    f.call("bind", raw(53, 5300));
    int port = binding(53).path("net").path("assignedPort").asInt();
    assertThat(f.sandboxes.open).containsKey(port);
    assertThat(f.sandboxes.dnat)
        .containsExactly(
            new Dnat(
                Protocol.UDP,
                port,
                1,
                (java.net.Inet4Address) InetAddress.getByName("10.0.3.5"),
                53));
  }

  @Test
  void anHttpBindingIsForwardedForTcpOnly() throws Exception {
    f.call(
        "bind",
        "{\"id\":\"ui\",\"internalPort\":80,\"preferredExternalPort\":80,\"secure\":null,"
            + "\"addSsl\":{\"preferredExternalPort\":443,\"addXForwardedHeaders\":true,"
            + "\"alpn\":\"reflect\",\"auth\":null}}");
    assertThat(f.sandboxes.open).hasSize(1);
    assertThat(f.sandboxes.dnat).isEmpty();
  }

  @Test
  void aPreferredPortAProgramListensOnGivesAnotherPortShownInTheAddresses() throws Exception {
    try (var held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      f.call("bind", raw(53, held.getLocalPort()));
      int port = binding(53).path("net").path("assignedPort").asInt();
      assertThat(port).isNotEqualTo(held.getLocalPort()).isPositive();
      assertThat(binding(53).path("addresses").path("available").get(0).path("port").asInt())
          .isEqualTo(port);
    }
  }

  @Test
  void theSshPortIsNeverGiven() throws Exception {
    f.call("bind", raw(22, 22));
    assertThat(binding(22).path("net").path("assignedPort").asInt()).isNotEqualTo(22);
  }

  @Test
  void aRangeOverABindingsPortIsRefused() throws Exception {
    f.call("bind", raw(53, 5300));
    int port = binding(53).path("net").path("assignedPort").asInt();
    assertThatThrownBy(() ->
            f.call(
                "bind-range",
                "{\"id\":\"relay\",\"internalStartPort\":45000,\"externalStartPort\":"
                    + (port - 5)
                    + ",\"numberOfPorts\":10}"))
        .satisfies(e -> {
          assertThat(((RpcFailure) e).error().code()).isEqualTo(ErrorKind.INVALID_REQUEST.code);
          assertThat(((RpcFailure) e).error().data().toString()).contains("another binding's");
        });
    assertThat(
            f.entry()
                .path("hosts")
                .path("relay")
                .path("bindingRanges")
                .path("45000")
                .isMissingNode())
        .isTrue();
  }
}
