package dev.hearth.startd.service.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.api.FullProgress;
import dev.hearth.error.StartException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A package's state and entry read and written as patchdb.md §7.1 spells them. */
class PackageStateTest {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static JsonNode manifest(String version) throws Exception {
    return JSON.readTree("{\"id\":\"hello\",\"version\":\"" + version + "\"}");
  }

  @Test
  void eachStateHasItsTagAndFields() throws Exception {
    var info = new PackageState.InstallingInfo(manifest("2.0.0:0"), FullProgress.of("Installing"));
    PackageState[] states = {
      new PackageState.Installing(info),
      new PackageState.Restoring(info),
      new PackageState.Updating(manifest("1.0.0:0"), "/a/b.s9pk", info),
      new PackageState.Installed(manifest("1.0.0:0")),
      new PackageState.Removing(manifest("1.0.0:0"))
    };
    String[] tags = {"installing", "restoring", "updating", "installed", "removing"};
    String[] shown = {"2.0.0:0", "2.0.0:0", "1.0.0:0", "1.0.0:0", "1.0.0:0"};
    for (int i = 0; i < states.length; i++) {
      JsonNode json = JSON.valueToTree(states[i]);
      assertThat(json.path("state").asText()).isEqualTo(tags[i]);
      assertThat(states[i].tag()).isEqualTo(tags[i]);
      assertThat(states[i].version()).isEqualTo(shown[i]);
      assertThat(JSON.treeToValue(json, PackageState.class)).isEqualTo(states[i]);
    }
    assertThat(JSON.valueToTree(states[2]).fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("state", "manifest", "s9pk", "installingInfo");
  }

  @Test
  void progressChangesOnlyWhereAnInstallRuns() throws Exception {
    var info = new PackageState.InstallingInfo(manifest("2.0.0:0"), FullProgress.of("Installing"));
    var next = FullProgress.of("Installing").completed();
    assertThat(
            ((PackageState.Installing) new PackageState.Installing(info).withProgress(next))
                .installingInfo()
                .progress())
        .isEqualTo(next);
    PackageState installed = new PackageState.Installed(manifest("1.0.0:0"));
    assertThat(installed.withProgress(next)).isSameAs(installed);
  }

  @Test
  void aFreshEntryHasEveryKeyOfTheSpec() throws Exception {
    var entry =
        PackageEntry.beginning(
            new PackageState.Installing(
                new PackageState.InstallingInfo(manifest("1.0.0:0"), FullProgress.of("A"))));
    JsonNode json = JSON.valueToTree(entry);
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "stateInfo",
            "s9pk",
            "statusInfo",
            "registry",
            "developerKey",
            "icon",
            "lastBackup",
            "currentDependencies",
            "actions",
            "tasks",
            "hosts",
            "storeExposedDependents",
            "outboundGateway",
            "plugin");
    assertThat(json.path("plugin").has("url")).isTrue();
    assertThat(JSON.treeToValue(json, PackageEntry.class)).isEqualTo(entry);
  }

  @Test
  void packageIdsAreCheckedAndReadAsMapKeys() throws Exception {
    assertThatThrownBy(() -> PackageId.of("../etc")).isInstanceOf(StartException.class);
    assertThatThrownBy(() -> PackageId.of("Hello")).isInstanceOf(StartException.class);
    Map<PackageId, Integer> m =
        JSON.readValue(
            "{\"hello-world\":1}",
            new com.fasterxml.jackson.core.type.TypeReference<Map<PackageId, Integer>>() {});
    assertThat(m).containsEntry(PackageId.of("hello-world"), 1);
    assertThat(JSON.writeValueAsString(PackageId.of("a-b"))).isEqualTo("\"a-b\"");
  }
}
