package dev.hearth.s9pk.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  private static final String MINIMAL =
      "{\"id\":\"hello\",\"version\":\"1.0:0\",\"canMigrateTo\":\"*\",\"canMigrateFrom\":\"*\","
          + "\"title\":\"Hello\",\"description\":{\"short\":\"s\",\"long\":\"l\"},\"releaseNotes\":\"r\","
          + "\"license\":\"MIT\",\"upstreamRepo\":\"https://Example.org\",\"images\":{},\"volumes\":[\"main\"]";

  @Test
  void aManifestWrittenByUsIsByteForByteWhatWeRead() {
    String upstream =
        "{\"id\":\"hello-world\",\"version\":\"1.0.0:0\",\"canMigrateTo\":\"<=1.0.0:0\",\"canMigrateFrom\":\"<=1.0.0:0\","
            + "\"title\":\"Hello World\",\"description\":{\"short\":\"s\",\"long\":\"l\"},\"releaseNotes\":{\"en_US\":\"r\"},"
            + "\"gitHash\":\"abc-modified\",\"license\":\"MIT\",\"packageRepo\":\"https://example.com/\",\"upstreamRepo\":\"https://busybox.net/\","
            + "\"marketingUrl\":null,\"donationUrl\":null,\"osVersion\":\"0.4.0-beta.10\",\"sdkVersion\":\"2.0.9\","
            + "\"hardwareAcceleration\":false,\"userspaceFilesystems\":false,\"virtualNetworking\":false,\"plugins\":[\"url-v0\"],"
            + "\"satisfies\":[],\"images\":{\"main\":{\"source\":\"packed\",\"arch\":[\"aarch64\",\"x86_64\"],\"emulateMissingAs\":\"x86_64\",\"nvidiaContainer\":false}},"
            + "\"volumes\":[\"BACKUP\",\"main\"],\"dependencies\":{\"bitcoind\":{\"description\":null,\"optional\":true}},"
            + "\"hardwareRequirements\":{\"device\":[{\"description\":\"GPU\",\"class\":\"display\",\"product\":null,\"vendor\":\"Intel\"}],\"ram\":8192,\"arch\":null}}";
    byte[] bytes = upstream.getBytes(StandardCharsets.UTF_8);
    assertThat(new String(ManifestJson.write(ManifestJson.parse(bytes)), StandardCharsets.UTF_8))
        .isEqualTo(upstream);
  }

  @Test
  void unknownFieldsSurviveAReadWriteRoundTripAtEveryLevel() {
    String json =
        MINIMAL.replace(
                "\"images\":{}",
                "\"images\":{\"main\":{\"source\":\"packed\",\"arch\":[\"x86_64\"],\"future\":[1,2]}}")
            + ",\"alerts\":{\"install\":\"careful\"},\"hardwareRequirements\":{\"device\":[],\"gpu\":true}}";
    Manifest m = ManifestJson.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(m.extra()).containsKey("alerts");
    String written = new String(ManifestJson.write(m), StandardCharsets.UTF_8);
    assertThat(written)
        .contains("\"alerts\":{\"install\":\"careful\"}")
        .contains("\"future\":[1,2]")
        .contains("\"gpu\":true");
    assertThat(ManifestJson.parse(ManifestJson.write(m))).isEqualTo(m);
  }

  @Test
  void absentOptionalFieldsGetUpstreamsDefaultsInUpstreamsOrder() {
    Manifest m = ManifestJson.parse((MINIMAL + "}").getBytes(StandardCharsets.UTF_8));
    assertThat(m.packageRepo()).isEqualTo("https://example.com/");
    assertThat(m.upstreamRepo()).isEqualTo("https://example.org/");
    assertThat(new String(ManifestJson.write(m), StandardCharsets.UTF_8))
        .contains("\"gitHash\":null,\"license\":\"MIT\",\"packageRepo\":\"https://example.com/\"")
        .endsWith(
            "\"volumes\":[\"main\"],\"dependencies\":{},\"hardwareRequirements\":{\"device\":[],\"ram\":null,\"arch\":null}}");
  }

  @Test
  void localizedStringsFallBackByLanguageThenFirstEntry() {
    LocaleString s =
        LocaleString.fromJson(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("de_DE", "Hallo")
                .put("en_GB", "Hello"));
    assertThat(s.localize("en_US")).isEqualTo("Hello");
    assertThat(s.localize("de_DE")).isEqualTo("Hallo");
    assertThat(s.localize("fr_FR")).isEqualTo("Hallo");
  }

  @Test
  void anInvalidPackageIdIsRefusedNamingTheRule() {
    assertThatThrownBy(() ->
            ManifestJson.parse(
                (MINIMAL.replace("\"hello\"", "\"Hello_World\"") + "}")
                    .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ID))
        .hasMessageContaining("package id \"Hello_World\"");
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    assertThatThrownBy(() ->
            ManifestJson.parse(
                (MINIMAL.replace(",\"license\":\"MIT\"", "") + "}")
                    .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DESERIALIZATION))
        .hasMessageContaining("\"license\" is required");
  }

  @Test
  void editExpressionsSetAndDeleteFieldsAndKeepPipesInsideStrings() {
    Manifest m =
        ManifestJson.parse(
            (MINIMAL + ",\"donationUrl\":\"https://d.example/\"}")
                .getBytes(StandardCharsets.UTF_8));
    Manifest edited =
        ManifestEdit.apply(
            m,
            ".title = \"A | B\" | del(.donationUrl) | .images[\"main\"] = {\"source\":\"packed\",\"arch\":[\"x86_64\"]}");
    assertThat(edited.title()).isEqualTo("A | B");
    assertThat(edited.donationUrl()).isNull();
    assertThat(edited.images()).containsKey("main");
    assertThatThrownBy(() -> ManifestEdit.apply(m, ".title \"x\""))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
        .hasMessageContaining("expected '=' at position 7");
  }
}
