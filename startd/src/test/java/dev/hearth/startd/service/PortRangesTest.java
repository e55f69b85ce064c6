package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.jsonrpc.RpcFailure;
import java.util.stream.IntStream;
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

  private static Integer[] ports() {
    return IntStream.range(45000, 45010).boxed().toArray(Integer[]::new);
  }

  @Test
  void aSecondInitBindsItsRangeAgainAndKeepsItsInterface() throws Exception {
    f.call("bind-range", RANGE);
    f.call(
        "export-range-service-interface",
        "{\"hostId\":\"relay\",\"internalStartPort\":45000,\"id\":\"turn\",\"name\":\"TURN\","
            + "\"description\":null,\"scheme\":null}");
    f.call("clear-bindings", "{\"except\":[{\"id\":\"relay\",\"internalPort\":45000}]}");
    assertThat(f.sandboxes.open).containsKeys(ports());

    // The next init (a reload, a daemon restart, an update) does the same again.
    f.call("bind-range", RANGE);
    f.call("clear-bindings", "{\"except\":[{\"id\":\"relay\",\"internalPort\":45000}]}");
    assertThat(range().path("externalStartPort").asInt()).isEqualTo(45000);
    assertThat(range().path("interface").path("id").asText()).isEqualTo("turn");
    assertThat(f.sandboxes.open).containsKeys(ports());
  }

  @Test
  void aRangeNoLongerNamedIsClearedWithItsForwards() throws Exception {
    f.call("bind-range", RANGE);
    f.call("clear-bindings", "{\"except\":[]}");
    assertThat(range().isMissingNode()).isTrue();
    assertThat(f.sandboxes.open).doesNotContainKeys(ports());
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
