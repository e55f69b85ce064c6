package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.jsonrpc.RpcFailure;
import dev.hearth.startd.net.Dnat;
import dev.hearth.startd.net.Protocol;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A port range as the SDK's {@code setupInterfaces} uses it, on every init (issue 12, item 4):
 * bound again, kept by {@code clear-bindings} when named by its internal start port, gone when not.
 */
class PortRangesTest {
  private static final String RANGE =
      "{\"id\":\"relay\",\"internalStartPort\":45000,\"externalStartPort\":45000,"
          + "\"numberOfPorts\":10}";
  private final EffectsFixture f = new EffectsFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private JsonNode range() {
    return f.entry().path("hosts").path("relay").path("bindingRanges").path("45000");
  }

  /** The kernel forwards of the range: TCP and UDP, 45000+10 onto the container's 45000+10. */
  private List<Dnat> rangeForwards() {
    return f.sandboxes.dnat.stream().filter(d -> d.externalStart() == 45000).toList();
  }

  @Test
  void aSecondInitBindsItsRangeAgainAndKeepsItsInterface() throws Exception {
    f.call("bind-range", RANGE);
    f.call(
        "export-range-service-interface",
        "{\"hostId\":\"relay\",\"internalStartPort\":45000,\"id\":\"turn\",\"name\":\"TURN\","
            + "\"description\":null,\"scheme\":null}");
    f.call("clear-bindings", "{\"except\":[{\"id\":\"relay\",\"internalPort\":45000}]}");
    assertThat(rangeForwards())
        .extracting(Dnat::protocol, Dnat::count, Dnat::targetStart)
        .containsExactlyInAnyOrder(tuple(Protocol.TCP, 10, 45000), tuple(Protocol.UDP, 10, 45000));

    // The next init (a reload, a daemon restart, an update) does the same again.
    f.call("bind-range", RANGE);
    f.call("clear-bindings", "{\"except\":[{\"id\":\"relay\",\"internalPort\":45000}]}");
    assertThat(range().path("externalStartPort").asInt()).isEqualTo(45000);
    assertThat(range().path("interface").path("id").asText()).isEqualTo("turn");
    assertThat(rangeForwards()).hasSize(2);
    assertThat(f.sandboxes.open).as("no userspace listener for a range").isEmpty();
  }

  @Test
  void aRangeNoLongerNamedIsClearedWithItsForwards() throws Exception {
    f.call("bind-range", RANGE);
    f.call("clear-bindings", "{\"except\":[]}");
    assertThat(range().isMissingNode()).isTrue();
    assertThat(f.sandboxes.dnat).isEmpty();
  }

  @Test
  void anotherHostsRangeMayStillNotOverlap() throws Exception {
    f.call("bind-range", RANGE);
    assertThatThrownBy(() ->
            f.call(
                "bind-range",
                "{\"id\":\"other\",\"internalStartPort\":46000,\"externalStartPort\":45005,"
                    + "\"numberOfPorts\":10}"))
        .satisfies(e ->
            assertThat(((RpcFailure) e).error().code()).isEqualTo(ErrorKind.INVALID_REQUEST.code));
  }
}
