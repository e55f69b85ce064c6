package dev.hearth.cli.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example package {@code packages/hello-world}, written against the npm SDK, builds with the
 * SDK's own {@code s9pk.mk} ({@code make}) and our {@code start-cli} on the PATH, and the official
 * SDK reader accepts the result. Runs after {@code package}, which makes {@code target/start-cli}.
 */
class HelloWorldPackageIT {
  private static final Path SOURCE =
      Path.of("../packages/hello-world").toAbsolutePath().normalize();
  private static final Path BUILD = Path.of("target/hello-world-it").toAbsolutePath();
  private static final Path HOME = Path.of("target/hello-world-it-home").toAbsolutePath();
  private static final Path LAUNCHER_DIR = Path.of("target").toAbsolutePath();
  private static final List<String> GENERATED = List.of("node_modules", "javascript");

  @Test
  void helloWorldBuildsWithTheSdksMakefileAndOurStartCli() throws Exception {
    assertThat(LAUNCHER_DIR.resolve("start-cli")).as("package phase made the launcher").exists();
    copyProject();
    Path key = HOME.resolve(".startos/developer.key.pem");
    if (!Files.exists(key)) {
      DeveloperKey.generate(new SecureRandom()).writeNew(key);
    }
    Path log = BUILD.resolveSibling("hello-world-it.log");
    ProcessBuilder make =
        new ProcessBuilder("make", "--no-print-directory").directory(BUILD.toFile());
    make.environment().put("PATH", LAUNCHER_DIR + ":" + System.getenv("PATH"));
    // s9pk.mk calls plain `start-cli s9pk pack`, which reads ~/.startos/developer.key.pem.
    make.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + HOME);
    make.redirectErrorStream(true).redirectOutput(log.toFile());
    int exit = make.start().waitFor();
    assertThat(exit).as("make failed:\n%s", tail(log)).isZero();

    Path s9pk = BUILD.resolve("hello-world_x86_64.s9pk");
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

  /** Sources only, keeping modification times so make rebuilds only what changed. */
  private static void copyProject() throws IOException {
    try (Stream<Path> walk = Files.walk(SOURCE)) {
      for (Path p : walk.toList()) {
        Path rel = SOURCE.relativize(p);
        if (!rel.toString().isEmpty() && GENERATED.contains(rel.getName(0).toString())) {
          continue;
        }
        String name = p.getFileName().toString();
        if (name.endsWith(".s9pk") || (name.endsWith(".tar") && rel.startsWith("image"))) {
          continue;
        }
        Path target = BUILD.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(
              p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
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

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
