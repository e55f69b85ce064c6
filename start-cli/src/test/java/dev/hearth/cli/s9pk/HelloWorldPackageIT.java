package dev.hearth.cli.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The example package {@code packages/hello-world}, written against the npm SDK, builds with the
 * SDK's own {@code s9pk.mk} ({@code make}) and our {@code start-cli} on the PATH, and the official
 * SDK reader accepts the result. Runs after {@code package}, which makes {@code target/start-cli}.
 */
class HelloWorldPackageIT {
  private static final Path SOURCE = ExamplePackages.source("hello-world");
  private static final Path BUILD = Path.of("target/example-packages/hello-world").toAbsolutePath();

  @Test
  void helloWorldBuildsWithTheSdksMakefileAndOurStartCli() throws Exception {
    Path key = ExamplePackages.key();
    Path s9pk = ExamplePackages.build("hello-world");

    try (S9pk pkg = S9pk.open(s9pk)) {
      pkg.archive().orElseThrow().verifyFiles();
      assertThat(pkg.archive().orElseThrow().signer())
          .isEqualTo(DeveloperKey.read(key).publicKey());
      assertThat(pkg.manifest().id()).isEqualTo("hello-world");
      assertThat(pkg.manifest().sdkVersion()).hasToString("2.0.9");
      assertThat(pkg.manifest().volumes()).containsExactly("main");
      assertThat(pkg.manifest().images().get("main").source()).isEqualTo(new ImageSource.Packed());
      assertThat(pkg.contents().paths())
          .contains(
              "icon.svg",
              "LICENSE.md",
              "instructions.md",
              "javascript.squashfs",
              "images/x86_64/main.squashfs");
      pkg.validateAndFilter(Optional.of("x86_64"));
      assertThat(listing(pkg.read("javascript.squashfs", 64 << 20)))
          .contains("squashfs-root/index.js");
      assertThat(listing(pkg.read("images/x86_64/main.squashfs", 64 << 20)))
          .contains("squashfs-root/bin/busybox", "squashfs-root/bin/sh");

      Files.copy(
          Path.of("../s9pk/src/test/sdk-reader/read-s9pk.cjs"),
          BUILD.resolve("read-s9pk.cjs"),
          StandardCopyOption.REPLACE_EXISTING);
      Process reader =
          new ProcessBuilder("node", "read-s9pk.cjs", s9pk.toString())
              .directory(BUILD.toFile())
              .start();
      String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(reader.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(reader.waitFor()).as(err).isZero();
      JsonNode read = new ObjectMapper().readTree(out);
      assertThat(read.get("manifest")).isEqualTo(ManifestJson.toTree(pkg.manifest()));
      assertThat(read.get("license").asText())
          .isEqualTo(Files.readString(SOURCE.resolve("LICENSE.md")));
      assertThat(read.get("instructions").asText())
          .isEqualTo(Files.readString(SOURCE.resolve("instructions.md")));
      assertThat(read.get("icon").asText()).startsWith("data:image/svg+xml;base64,");
    }
  }

  private static String listing(byte[] squashfs) throws Exception {
    Path f = Files.createTempFile(BUILD, "listing", ".squashfs");
    try {
      Files.write(f, squashfs);
      Process p = new ProcessBuilder("unsquashfs", "-l", f.toString()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      return out;
    } finally {
      Files.delete(f);
    }
  }
}
