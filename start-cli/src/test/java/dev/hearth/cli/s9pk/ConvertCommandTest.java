package dev.hearth.cli.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.hearth.cli.keys.Console;
import dev.hearth.s9pk.S9pk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code s9pk convert}: a v1 package (s9pk.md §10) becomes a signed v2 package. */
class ConvertCommandTest {
  @TempDir Path dir;

  @Test
  void aV1PackageConvertsToASignedV2PackageWithItsDockerImageFlattened() throws Exception {
    String key = dir.resolve("k.pem").toString();
    assertThat(Console.run("--developer-key-path", key, "init", "key").exitCode()).isZero();
    Path v1 = dir.resolve("legacy.s9pk");
    Files.write(v1, v1Package());
    Console c = Console.run("--developer-key-path", key, "s9pk", "convert", v1.toString());
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    try (S9pk pkg = S9pk.open(dir.resolve("legacy.v2.s9pk"))) {
      pkg.archive().orElseThrow().verifyFiles();
      assertThat(pkg.manifest().id()).isEqualTo("legacy");
      assertThat(pkg.manifest().version().toString()).isEqualTo("0.3.5:1");
      assertThat(pkg.manifest().images().get("main").arch()).containsExactly("x86_64");
      assertThat(new String(pkg.read("images/x86_64/main.json", 4096), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"workdir\":\"/app\",\"user\":\"root\",\"entrypoint\":[\"/bin/run\"],\"cmd\":null}");
      assertThat(new String(pkg.read("images/x86_64/main.env", 4096), StandardCharsets.UTF_8))
          .isEqualTo("PATH=/bin\nMODE=legacy");
      Path sq = dir.resolve("main.squashfs");
      Files.write(sq, pkg.read("images/x86_64/main.squashfs", 1 << 20));
      Process ls = new ProcessBuilder("unsquashfs", "-l", sq.toString()).start();
      String listing = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(ls.waitFor()).isZero();
      assertThat(listing)
          .contains("squashfs-root/app/a.txt", "squashfs-root/app/b.txt")
          .doesNotContain("old.txt");
      assertThat(pkg.icon().orElseThrow().getKey()).isEqualTo("icon.png");
      assertThat(pkg.archive().orElseThrow().signer().pem())
          .isEqualTo(Console.run("--developer-key-path", key, "pubkey").out());
    }
  }

  @Test
  void aFileThatIsNotV1IsRefused() throws Exception {
    String key = dir.resolve("k.pem").toString();
    Console.run("--developer-key-path", key, "init", "key");
    Path bad = dir.resolve("bad.s9pk");
    Files.write(bad, new byte[200]);
    Console c = Console.run("--developer-key-path", key, "s9pk", "convert", bad.toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr())
        .contains("S9PK Parsing Error: the file does not start with the v1 magic 3b3b01");
  }

  private byte[] v1Package() throws Exception {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("id", "legacy");
    manifest.put("title", "Legacy");
    manifest.put("version", "0.3.5.1");
    manifest.put("description", Map.of("short", "s", "long", "l"));
    manifest.put("release-notes", "notes");
    manifest.put("license", "MIT");
    manifest.put("wrapper-repo", "https://example.org/wrapper");
    manifest.put("upstream-repo", "https://example.org/upstream");
    manifest.put("volumes", Map.of("main", Map.of("type", "data")));
    manifest.put("dependencies", Map.of());
    manifest.put("eos-version", "0.3.5");
    manifest.put("assets", Map.of("icon", "icon.png"));
    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put("manifest", new CBORMapper().writeValueAsBytes(manifest));
    sections.put("license", "MIT".getBytes(StandardCharsets.UTF_8));
    sections.put("instructions", "# Legacy".getBytes(StandardCharsets.UTF_8));
    sections.put("icon", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
    sections.put("docker_images", dockerSave());
    sections.put("scripts", "export const x = 1".getBytes(StandardCharsets.UTF_8));

    ByteArrayOutputStream toc = new ByteArrayOutputStream();
    long pos = 3 + 32 + 64 + 4;
    for (var e : sections.entrySet()) {
      pos += 1 + e.getKey().length() + 16;
    }
    for (var e : sections.entrySet()) {
      toc.write(e.getKey().length());
      toc.writeBytes(e.getKey().getBytes(StandardCharsets.US_ASCII));
      toc.writeBytes(ByteBuffer.allocate(16).putLong(pos).putLong(e.getValue().length).array());
      pos += e.getValue().length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x3b, 0x3b, 0x01});
    out.writeBytes(new byte[32 + 64]); // the v1 signature is not checked: conversion re-signs
    out.writeBytes(ByteBuffer.allocate(4).putInt(toc.size()).array());
    out.writeBytes(toc.toByteArray());
    sections.values().forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** A docker-save archive: two layers, the second deleting a file of the first. */
  private byte[] dockerSave() throws Exception {
    Path save = Files.createDirectories(dir.resolve("save"));
    Path l1 = Files.createDirectories(dir.resolve("l1/app"));
    Files.writeString(l1.resolve("a.txt"), "a");
    Files.writeString(l1.resolve("old.txt"), "old");
    Path l2 = Files.createDirectories(dir.resolve("l2/app"));
    Files.writeString(l2.resolve("b.txt"), "b");
    Files.writeString(l2.resolve(".wh.old.txt"), "");
    Files.createDirectories(save.resolve("l1"));
    Files.createDirectories(save.resolve("l2"));
    tar(save.resolve("l1/layer.tar"), dir.resolve("l1"));
    tar(save.resolve("l2/layer.tar"), dir.resolve("l2"));
    ObjectMapper json = new ObjectMapper();
    Files.writeString(
        save.resolve("cfg.json"),
        json.writeValueAsString(
            Map.of(
                "architecture",
                "amd64",
                "config",
                Map.of(
                    "Env",
                    List.of("PATH=/bin", "MODE=legacy"),
                    "WorkingDir",
                    "/app",
                    "Entrypoint",
                    List.of("/bin/run")))));
    Files.writeString(
        save.resolve("manifest.json"),
        json.writeValueAsString(
            List.of(
                Map.of(
                    "Config",
                    "cfg.json",
                    "RepoTags",
                    List.of("start9/legacy/main:0.3.5.1"),
                    "Layers",
                    List.of("l1/layer.tar", "l2/layer.tar")))));
    Path out = dir.resolve("images.tar");
    tar(out, save);
    return Files.readAllBytes(out);
  }

  private static void tar(Path out, Path from) throws Exception {
    Process p =
        new ProcessBuilder("tar", "-cf", out.toString(), "-C", from.toString(), ".").start();
    assertThat(p.waitFor()).isZero();
  }
}
