package dev.hearth.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.ManifestJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official SDK's reader accepts what we write and reads the same bytes out of it. */
class SdkReaderTest {
  @TempDir Path dir;

  @Test
  void officialReaderAcceptsAFreshPackageAndReadsTheSameContent() throws Exception {
    Path file = dir.resolve("fresh.s9pk");
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(file, TestPackages.KEY);
    }
    SdkReader.Result r = SdkReader.read(file);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode out = r.json();
    try (S9pk ours = S9pk.open(file)) {
      assertThat(out.get("manifest")).isEqualTo(ManifestJson.toTree(ours.manifest()));
      assertThat(out.get("icon").asText())
          .isEqualTo(
              "data:image/png;base64," + Base64.getEncoder().encodeToString(TestPackages.ICON_PNG));
      assertThat(out.get("license").asText()).isEqualTo(TestPackages.LICENSE);
      assertThat(out.get("instructions").asText()).isEqualTo(TestPackages.INSTRUCTIONS);
      assertSameFiles(out.get("files"), ours);
    }
  }

  @Test
  void officialReaderAcceptsAPackageFilteredForOneArchitecture() throws Exception {
    Path fresh = dir.resolve("fresh.s9pk");
    Path filtered = dir.resolve("x86_64.s9pk");
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(fresh, TestPackages.KEY);
    }
    try (S9pk opened = S9pk.open(fresh)) {
      opened.validateAndFilter(Optional.of("x86_64")).writeKeepingSignature(filtered);
    }
    SdkReader.Result r = SdkReader.read(filtered);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode files = r.json().get("files");
    assertThat(files.get("images/aarch64").get("missing").asBoolean()).isTrue();
    assertThat(files.get("notes.txt").get("missing").asBoolean()).isTrue();
    assertThat(files.get("images/x86_64/main.squashfs").get("size").asLong()).isEqualTo(3 << 20);
  }

  @Test
  void officialReaderRefusesAPackageWithAFlippedBodyByte() throws Exception {
    Path file = dir.resolve("flipped.s9pk");
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(file, TestPackages.KEY);
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1; // inside the last file body
    Files.write(file, bytes);
    SdkReader.Result r = SdkReader.read(file);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("hash sum mismatch");
  }

  private static void assertSameFiles(JsonNode files, S9pk ours) {
    int checked = 0;
    for (Map.Entry<String, JsonNode> f : files.properties()) {
      Entry entry = ours.contents().find(f.getKey()).orElseThrow();
      assertThat(f.getValue().get("size").asLong()).as(f.getKey()).isEqualTo(entry.size());
      if (!f.getValue().get("base64").isNull()) {
        byte[] theirs = Base64.getDecoder().decode(f.getValue().get("base64").asText());
        assertThat(theirs).as(f.getKey()).isEqualTo(entry.readAll(f.getKey(), 1 << 20));
      }
      checked++;
    }
    assertThat(checked)
        .isEqualTo(
            ours.contents().paths().stream()
                .filter(p -> ours.contents().find(p).orElseThrow().isFile())
                .count());
    assertThat(new String(ours.read("LICENSE.md", 1 << 20), StandardCharsets.UTF_8))
        .isEqualTo(TestPackages.LICENSE);
  }
}
