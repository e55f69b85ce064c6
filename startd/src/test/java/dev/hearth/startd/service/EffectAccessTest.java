package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.jsonrpc.RpcFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the calling package's signed manifest declares decides what it may reach of another package:
 * the check passes for a declared dependency and refuses any other, whatever the id's type on
 * either side.
 */
class EffectAccessTest {
  private final EffectsFixture f = new EffectsFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private static int code(Throwable e) {
    return ((RpcFailure) e).error().code();
  }

  private static String details(Throwable e) {
    return ((RpcFailure) e).error().data().path("details").asText();
  }

  @Test
  void aDeclaredDependencysVolumeGetsPastTheCheckAndAnotherDoesNot() {
    // "other" is declared: refused only because it is not there (no volume), not for access.
    assertThatThrownBy(() -> f.call("mount", mount("other")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorKind.NOT_FOUND.code))
        .satisfies(e -> assertThat(details(e)).contains("other has no volume main"));
    assertThatThrownBy(() -> f.call("mount", mount("stranger")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorKind.AUTHORIZATION.code))
        .satisfies(e -> assertThat(details(e)).contains("dependencies its manifest declares"));
  }

  @Test
  void aDependentActionIsRunOnlyForADeclaredDependent() throws Exception {
    installWithDependentAction("other");
    installWithDependentAction("stranger");
    // hello declares other: let through, and refused only because other is not loaded here.
    assertThatThrownBy(() -> f.call("action.run", run("other")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorKind.UNINITIALIZED.code));
    assertThatThrownBy(() -> f.call("action.run", run("stranger")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorKind.AUTHORIZATION.code));
  }

  /** Another installed package, stopped, with one action its dependents may run. */
  private void installWithDependentAction(String id) throws Exception {
    var entry =
        EffectsFixture.MAPPER.readTree(
            """
            {"stateInfo":{"state":"installed","manifest":{"id":"%s","version":"1.0:0"}},
             "s9pk":null,"statusInfo":{"health":{},"error":null,"started":null,
             "desired":{"main":"stopped"}},"registry":null,"developerKey":"","icon":"",
             "lastBackup":null,"currentDependencies":{},
             "actions":{"x":{"name":"X","description":"","warning":null,"visibility":"enabled",
               "allowedStatuses":"any","hasInput":false,"group":null,"access":"dependent"}},
             "tasks":{},"hosts":{},"storeExposedDependents":[],"outboundGateway":null,
             "plugin":{"url":null}}\
            """
                .formatted(id));
    f.db.mutate(tx ->
        tx.put(
            dev.hearth.startd.db.PublicPaths.PACKAGE_DATA.pointer().child(id),
            tx.codec().toJson(entry)));
  }

  private static String run(String target) {
    return "{\"packageId\":\"" + target + "\",\"actionId\":\"x\",\"input\":null}";
  }

  private static String mount(String target) {
    return "{\"location\":\"/media/m\",\"target\":{\"packageId\":\""
        + target
        + "\",\"volumeId\":\"main\",\"subpath\":null,\"readonly\":true,\"idmap\":[]}}";
  }
}
