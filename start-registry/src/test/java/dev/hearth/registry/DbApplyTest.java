package dev.hearth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code db.apply}: a JSON Patch to the whole database, all of it or nothing. */
class DbApplyTest {
  @TempDir Path dir;
  RegistryFixture reg;
  RpcClient admin;

  @BeforeEach
  void start() throws Exception {
    reg = new RegistryFixture(dir);
    admin = reg.client(reg.adminKey);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    reg.close();
  }

  private JsonNode patch(String json) throws Exception {
    return RegistryFixture.JSON.readTree(json);
  }

  private JsonNode dump() {
    return admin.call(RegistryApi.DB_DUMP, new RegistryApi.DumpParams(null));
  }

  @Test
  void aPatchIsAppliedToTheWholeDatabase() throws Exception {
    admin.call(
        RegistryApi.DB_APPLY,
        new RegistryApi.ApplyParams(
            patch(
                """
                [{"op": "replace", "path": "/index/name", "value": "Patched"},
                 {"op": "add", "path": "/index/os/versions/0.4.0", "value": {
                   "headline": "h", "releaseNotes": "n", "sourceVersion": "*",
                   "authorized": [], "iso": {}, "squashfs": {}, "img": {}}}]
                """)));
    try (RpcClient anyone = reg.anonymous()) {
      assertThat(anyone.call(RegistryApi.INFO, new Empty()).name()).isEqualTo("Patched");
      assertThat(anyone.call(RegistryApi.OS_INDEX, new Empty()).versions())
          .containsOnlyKeys("0.4.0");
    }
  }

  @Test
  void aPatchThatBreaksTheModelIsRefusedAndChangesNothing() throws Exception {
    JsonNode before = dump();
    for (String broken :
        List.of(
            "[{\"op\": \"remove\", \"path\": \"/index/package\"}]",
            "[{\"op\": \"replace\", \"path\": \"/admins\", \"value\": \"everyone\"}]",
            "[{\"op\": \"add\", \"path\": \"/index/os/versions/0.4.0\", \"value\": {}}]",
            "[{\"op\": \"add\", \"path\": \"/stray\", \"value\": 1}]",
            "[{\"op\": \"replace\", \"path\": \"/downloads\", \"value\": {\"a\": {\"1\": \"x\"}}}]")) {
      assertThatThrownBy(
              () -> admin.call(RegistryApi.DB_APPLY, new RegistryApi.ApplyParams(patch(broken))))
          .as(broken)
          .isInstanceOf(StartException.class)
          .hasMessageContaining("would no longer be valid")
          .extracting(e -> ((StartException) e).kind())
          .isEqualTo(ErrorKind.INVALID_REQUEST);
    }
    // The first operation applies, the second does not: neither is kept.
    assertThatThrownBy(() ->
            admin.call(
                RegistryApi.DB_APPLY,
                new RegistryApi.ApplyParams(
                    patch(
                        """
                        [{"op": "replace", "path": "/index/name", "value": "Half"},
                         {"op": "remove", "path": "/index/nothing-here"}]
                        """))))
        .isInstanceOf(StartException.class)
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(ErrorKind.DATABASE);
    assertThatThrownBy(() ->
            admin.call(
                RegistryApi.DB_APPLY, new RegistryApi.ApplyParams(patch("{\"op\": \"nonsense\"}"))))
        .isInstanceOf(StartException.class)
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(ErrorKind.DESERIALIZATION);
    assertThat(dump()).isEqualTo(before);
  }

  @Test
  void onlyAnAdminApplies() throws Exception {
    DeveloperKey dev = DeveloperKey.generate(new SecureRandom());
    admin.call(
        RegistryApi.SIGNER_ADD,
        new RegistryApi.AddSignerParams("dev", List.of(), List.of(dev.publicKey().pem())));
    JsonNode before = dump();
    try (RpcClient signer = reg.client(dev)) {
      assertThatThrownBy(() ->
              signer.call(
                  RegistryApi.DB_APPLY,
                  new RegistryApi.ApplyParams(
                      patch(
                          "[{\"op\": \"replace\", \"path\": \"/index/name\", \"value\":"
                              + " \"x\"}]"))))
          .hasMessageContaining("needs an admin");
    }
    assertThat(dump()).isEqualTo(before);
  }

  @Test
  void everyMethodOfTheApiIsServed() {
    try (RpcClient anyone = reg.anonymous()) {
      for (MethodSpec<?, ?> spec : RegistryApi.ALL) {
        try {
          anyone.call(spec.name(), RegistryFixture.JSON.createObjectNode());
        } catch (StartException e) {
          assertThat(e.getMessage()).as(spec.name()).doesNotContainIgnoringCase("method not found");
        }
      }
    }
  }
}
