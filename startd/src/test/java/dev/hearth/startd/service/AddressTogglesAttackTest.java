package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.net.GatewayChoice;
import dev.hearth.startd.net.Net;
import dev.hearth.startd.net.ServerHost;
import dev.hearth.startd.service.model.HostnameInfo;
import dev.hearth.startd.service.model.PackageId;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile package cannot turn back on an address the user turned off (threat model: effects never
 * authorize by what the package declared): clearing its bindings and binding again, which also gets
 * it another host port (22 is never given), leaves the address off.
 */
class AddressTogglesAttackTest {
  private final EffectsFixture f = new EffectsFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private static final String SSH =
      "{\"id\":\"ssh\",\"internalPort\":22,\"preferredExternalPort\":22,"
          + "\"addSsl\":null,\"secure\":{\"ssl\":false}}";

  private JsonNode addresses() {
    return f.entry().path("hosts").path("ssh").path("bindings").path("22").path("addresses");
  }

  @Test
  void clearingAndBindingAgainDoesNotUndoTheUsersToggle() throws Exception {
    f.call("bind", SSH);
    JsonNode lan = addresses().path("available").get(0);
    assertThat(lan.path("hostname").asText()).isEqualTo(FakeSandboxes.LAN_IP);
    var net =
        new Net(
            f.db,
            new GatewayChoice(InetAddress.getLoopbackAddress(), Set.of(), Set.of(), ""),
            blocked -> {},
            () -> new ServerHost(80, null));
    net.setAddressEnabled(
        PackageId.of(EffectsFixture.ID),
        "ssh",
        22,
        EffectsFixture.MAPPER.treeToValue(lan, HostnameInfo.class),
        false);
    assertThat(addresses().path("disabled").toString()).contains(FakeSandboxes.LAN_IP);

    f.call("clear-bindings", "{\"except\":[]}");
    f.call("bind", SSH);

    JsonNode again = addresses();
    int port = again.path("available").get(0).path("port").asInt();
    assertThat(again.path("disabled").toString())
        .as("still off, on the port it has now")
        .isEqualTo("[[\"" + FakeSandboxes.LAN_IP + "\"," + port + "]]");
  }
}
