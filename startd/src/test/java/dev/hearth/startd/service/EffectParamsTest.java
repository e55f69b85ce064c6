package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.jsonrpc.RpcFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Effect params come from an untrusted package: what does not fit is refused as DESERIALIZATION
 * with a message naming the effect and the field, and nothing is written.
 */
class EffectParamsTest {
  private final EffectsFixture f = new EffectsFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private void assertRefused(String method, String params, String message) {
    assertThatThrownBy(() -> f.call(method, params))
        .isInstanceOfSatisfying(
            RpcFailure.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorKind.DESERIALIZATION.code);
              assertThat(e.error().data().path("details").asText()).isEqualTo(message);
            });
  }

  @Test
  void aPortOutOfRangeIsRefusedNamingTheEffectAndTheField() {
    assertRefused(
        "bind",
        "{\"id\":\"main\",\"internalPort\":70000}",
        "bind: internalPort must be a port (1-65535), not 70000");
    assertThat(f.entry().path("hosts").isEmpty()).isTrue();
  }

  @Test
  void aPortGivenAsTextIsRefusedNotCoerced() {
    assertThatThrownBy(() -> f.call("bind", "{\"id\":\"main\",\"internalPort\":\"80\"}"))
        .isInstanceOfSatisfying(
            RpcFailure.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorKind.DESERIALIZATION.code);
              assertThat(e.error().data().path("details").asText())
                  .startsWith("bind: internalPort: ");
            });
  }

  @Test
  void aMissingFieldIsNamed() {
    assertRefused(
        "set-health", "{\"id\":\"web\",\"result\":\"success\"}", "set-health: name is missing");
  }

  @Test
  void anIdOutsideThePatternIsRefused() {
    assertRefused(
        "action.export",
        "{\"id\":\"../etc\",\"metadata\":{\"name\":\"n\",\"allowedStatuses\":\"any\"}}",
        "action.export: id is not a valid id: \"../etc\"");
  }

  @Test
  void aPackageIdIsCheckedAsOneEvenWhereItIsOptional() {
    assertRefused(
        "get-status",
        "{\"packageId\":\"Not_A_Package\"}",
        "get-status: packageId is not a package id: \"Not_A_Package\"");
  }

  @Test
  void aValueOutsideAnEnumIsRefusedNamingTheField() {
    assertThatThrownBy(() ->
            f.call(
                "set-health",
                "{\"id\":\"web\",\"name\":\"Web\",\"result\":\"great\",\"message\":null}"))
        .isInstanceOfSatisfying(
            RpcFailure.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorKind.DESERIALIZATION.code);
              assertThat(e.error().data().path("details").asText())
                  .startsWith("set-health: result: ")
                  .contains("great");
            });
  }

  @Test
  void aNestedFieldIsNamedByItsPath() {
    assertRefused(
        "mount",
        "{\"location\":\"/mnt/x\",\"target\":{\"packageId\":\"other\",\"volumeId\":\"main\","
            + "\"readonly\":true,\"idmap\":[{\"fromId\":0,\"toId\":0,\"range\":70000}]}}",
        "mount: target.idmap[0]: an idmap entry maps ids within 0..65535");
  }

  @Test
  void aTooLongStringIsRefused() {
    String name = "x".repeat(64 * 1024 + 1);
    assertRefused(
        "set-health",
        "{\"id\":\"web\",\"name\":\"" + name + "\",\"result\":\"success\"}",
        "set-health: name has 65537 characters, more than 65536");
  }

  @Test
  void aRuleBetweenFieldsIsChecked() {
    assertRefused(
        "set-health",
        "{\"id\":\"web\",\"name\":\"Web\",\"result\":\"failure\",\"message\":null}",
        "set-health: a failure result needs a message");
  }

  @Test
  void unknownKeysAreIgnored() throws Exception {
    f.call(
        "set-health",
        "{\"id\":\"web\",\"name\":\"Web\",\"result\":\"success\",\"message\":null,\"eventId\":\"e\",\"extra\":[1]}");
    assertThat(f.entry().path("statusInfo").path("health").path("web").path("result").asText())
        .isEqualTo("success");
  }
}
