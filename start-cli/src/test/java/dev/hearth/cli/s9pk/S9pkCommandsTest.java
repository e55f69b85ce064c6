package dev.hearth.cli.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.keys.Console;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.hash.Blake3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start-cli s9pk …} end to end, in-process, with real node and mksquashfs. */
class S9pkCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private String key;

  @BeforeEach
  void makeKey() {
    key = dir.resolve("developer.key.pem").toString();
    assertThat(Console.run("--developer-key-path", key, "init", "key").exitCode()).isZero();
  }

  private Path pack(String id, String version, String... extra) throws Exception {
    Path project = TestProject.write(dir.resolve(id + "-" + version), id, version);
    Path out = dir.resolve(id + "_" + version + ".s9pk");
    String[] args = {
      "--developer-key-path", key, "s9pk", "pack", project.toString(), "-o", out.toString()
    };
    String[] all =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    Console c = Console.run(all);
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    return out;
  }

  @Test
  void packThenInspectShowsTheManifestTreeFilesAndCommitment() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    JsonNode manifest =
        JSON.readTree(Console.run("s9pk", "inspect", s9pk.toString(), "manifest").out());
    assertThat(manifest.get("id").asText()).isEqualTo("demo");
    assertThat(manifest.at("/images/main/source").asText()).isEqualTo("packed");

    JsonNode tree =
        JSON.readTree(Console.run("s9pk", "inspect", s9pk.toString(), "file-tree").out());
    assertThat(tree)
        .extracting(JsonNode::asText)
        .contains("manifest.json", "icon.svg", "images/x86_64/main.squashfs");
    assertThat(
            Console.run("--format", "table", "s9pk", "inspect", s9pk.toString(), "file-tree").out())
        .contains("\nicon.svg\n");

    assertThat(Console.run("s9pk", "inspect", s9pk.toString(), "cat", "LICENSE.md").out())
        .isEqualTo("The Test License, version 1");

    JsonNode commitment =
        JSON.readTree(Console.run("s9pk", "inspect", s9pk.toString(), "commitment").out());
    try (S9pk pkg = S9pk.open(s9pk)) {
      assertThat(commitment.get("rootSighash").asText())
          .isEqualTo(pkg.archive().orElseThrow().commitment().rootSighash().base64());
      assertThat(commitment.get("rootMaxsize").asLong())
          .isEqualTo(pkg.archive().orElseThrow().commitment().rootMaxsize());
    }
  }

  @Test
  void catOfAFileWhoseBytesWereChangedFailsWithInvalidSignature() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    byte[] bytes = Files.readAllBytes(s9pk);
    byte[] license = "The Test License".getBytes(StandardCharsets.UTF_8);
    int at = lastIndexOf(bytes, license);
    bytes[at] = 'X';
    Files.write(s9pk, bytes);
    Console c = Console.run("s9pk", "inspect", s9pk.toString(), "cat", "LICENSE.md");
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr())
        .contains("Error: Invalid Signature: LICENSE.md does not match its signed BLAKE3 hash");
  }

  @Test
  void editManifestChangesItAndSignsAgain() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    Console c =
        Console.run(
            "--developer-key-path",
            key,
            "s9pk",
            "edit",
            s9pk.toString(),
            "manifest",
            ".title = \"Renamed\" | .donationUrl = \"https://d.example\"");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    try (S9pk pkg = S9pk.open(s9pk)) {
      assertThat(pkg.manifest().title()).isEqualTo("Renamed");
      assertThat(pkg.manifest().donationUrl()).isEqualTo("https://d.example/");
      pkg.archive().orElseThrow().verifyFiles();
    }
  }

  @Test
  void addImageFromARootfsTarballAddsItForTheGivenArchitecture() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    Path root = Files.createDirectories(dir.resolve("extra/etc"));
    Files.writeString(root.resolve("motd"), "extra image");
    Process tar =
        new ProcessBuilder(
                "tar",
                "-cf",
                dir.resolve("extra.tar").toString(),
                "-C",
                dir.resolve("extra").toString(),
                ".")
            .start();
    assertThat(tar.waitFor()).isZero();
    Console c =
        Console.run(
            "--developer-key-path",
            key,
            "s9pk",
            "edit",
            s9pk.toString(),
            "add-image",
            "extra",
            dir.resolve("extra.tar").toString(),
            "--arch",
            "x86_64",
            "--emulate-missing-as",
            "x86_64");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    try (S9pk pkg = S9pk.open(s9pk)) {
      assertThat(pkg.manifest().images().get("extra").arch()).containsExactly("x86_64");
      assertThat(pkg.contents().find("images/x86_64/extra.squashfs")).isPresent();
      pkg.validateAndFilter(java.util.Optional.empty());
    }
    Console unsupported =
        Console.run(
            "--developer-key-path",
            key,
            "s9pk",
            "edit",
            s9pk.toString(),
            "add-image",
            "more",
            dir.resolve("extra.tar").toString(),
            "--arch",
            "x86_64");
    assertThat(unsupported.exitCode()).isEqualTo(1);
    assertThat(unsupported.stderr())
        .contains(
            "S9PK Validation Error: image more needs hardwareRequirements.arch or emulateMissingAs");
    Console withMetadata =
        Console.run(
            "--developer-key-path",
            key,
            "s9pk",
            "edit",
            s9pk.toString(),
            "add-image",
            "daemon",
            dir.resolve("extra.tar").toString(),
            "--arch",
            "x86_64",
            "--emulate-missing-as",
            "x86_64",
            "--entrypoint",
            "[\"/bin/busybox\", \"httpd\"]",
            "--cmd",
            "[\"-f\"]",
            "--user",
            "1000",
            "--working-dir",
            "/srv",
            "--env",
            "PATH=/bin",
            "--env",
            "MODE=test");
    assertThat(withMetadata.exitCode()).as(withMetadata.stderr()).isZero();
    try (S9pk pkg = S9pk.open(s9pk)) {
      assertThat(new String(pkg.read("images/x86_64/daemon.json", 4096)))
          .isEqualTo(
              "{\"workdir\":\"/srv\",\"user\":\"1000\",\"entrypoint\":[\"/bin/busybox\",\"httpd\"],\"cmd\":[\"-f\"]}");
      assertThat(new String(pkg.read("images/x86_64/daemon.env", 4096)))
          .isEqualTo("PATH=/bin\nMODE=test");
    }
    Console relative =
        Console.run(
            "--developer-key-path",
            key,
            "s9pk",
            "edit",
            s9pk.toString(),
            "add-image",
            "bad",
            dir.resolve("extra.tar").toString(),
            "--working-dir",
            "srv");
    assertThat(relative.exitCode()).isNotZero();
    assertThat(relative.stderr())
        .contains("an image's workdir must be an absolute path, not \"srv\"");
  }

  // The attack: a package image holding a node for a host disk let a container read and write
  // that disk. pack and add-image refuse images holding device nodes, and write nothing.

  @Test
  void packRefusesAnImageHoldingDeviceNodesAndWritesNoPackage() throws Exception {
    Path project = TestProject.write(dir.resolve("p"), "demo", "1.0.0:0");
    DeviceNodes.make(project.resolve("image/rootfs-x86_64/dev/sda"), "b", 8, 0);
    DeviceNodes.make(project.resolve("image/rootfs-x86_64/dev/mem"), "c", 1, 1);
    Path out = dir.resolve("demo.s9pk");

    Console c =
        Console.run(
            "--developer-key-path", key, "s9pk", "pack", project.toString(), "-o", out.toString());

    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr())
        .isEqualTo(
            "Error: Pack Error: image main holds device nodes, which packages may not carry:"
                + " dev/mem (char 1:1), dev/sda (block 8:0)\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void addImageRefusesADirectoryHoldingDeviceNodesAndLeavesThePackageAsItWas() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    byte[] before = Files.readAllBytes(s9pk);
    Path rootfs = Files.createDirectories(dir.resolve("extra"));
    DeviceNodes.make(rootfs.resolve("dev/sda"), "b", 8, 0);
    DeviceNodes.make(rootfs.resolve("dev/mem"), "c", 1, 1);

    Console c = addImage(s9pk, rootfs);

    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr())
        .isEqualTo(
            "Error: Pack Error: image extra holds device nodes, which packages may not carry:"
                + " dev/mem (char 1:1), dev/sda (block 8:0)\n");
    assertThat(Files.readAllBytes(s9pk)).isEqualTo(before);
  }

  @Test
  void addImageRefusesATarballHoldingADeviceNode() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    byte[] before = Files.readAllBytes(s9pk);
    Path rootfs = Files.createDirectories(dir.resolve("extra"));
    Files.writeString(Files.createDirectories(rootfs.resolve("etc")).resolve("motd"), "hi");
    DeviceNodes.make(rootfs.resolve("dev/sda"), "b", 8, 0);
    Path tarball = dir.resolve("extra.tar");
    Process tar =
        new ProcessBuilder(
                "tar", "--create", "--file", tarball.toString(), "-C", rootfs.toString(), ".")
            .redirectErrorStream(true)
            .start();
    String tarOutput = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as(tarOutput).isZero();

    Console c = addImage(s9pk, tarball);

    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr())
        .isEqualTo(
            "Error: Pack Error: image extra holds device nodes, which packages may not carry:"
                + " dev/sda (block 8:0)\n");
    assertThat(Files.readAllBytes(s9pk)).isEqualTo(before);
  }

  private Console addImage(Path s9pk, Path source) {
    return Console.run(
        "--developer-key-path",
        key,
        "s9pk",
        "edit",
        s9pk.toString(),
        "add-image",
        "extra",
        source.toString(),
        "--arch",
        "x86_64",
        "--emulate-missing-as",
        "x86_64");
  }

  @Test
  void selectPrefersTheNewestPackageThatRunsHere() throws Exception {
    Path old = pack("demo", "1.0.0:0");
    Path newer = pack("demo", "1.1.0:0");
    Console c = Console.run("s9pk", "select", old.toString(), newer.toString(), "--arch", "x86_64");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(c.out().strip()).isEqualTo(newer.toString());
  }

  @Test
  void listIngredientsPrintsTheFilesAPackReads() throws Exception {
    Path project = TestProject.write(dir.resolve("p"), "demo", "1.0.0:0");
    Console c = Console.run("s9pk", "list-ingredients", project.toString());
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(c.out().lines())
        .containsExactly(
            "javascript/index.js",
            "icon.svg",
            "LICENSE.md",
            "instructions.md",
            "image/rootfs-x86_64");
  }

  @Test
  void packOfAProjectWithoutABuiltBundleSaysToBuildIt() throws Exception {
    Path project = TestProject.write(dir.resolve("p"), "demo", "1.0.0:0");
    Files.delete(project.resolve("javascript/index.js"));
    Console c = Console.run("--developer-key-path", key, "s9pk", "pack", project.toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr())
        .contains("Error: Pack Error: no javascript/index.js in")
        .contains("npm run build");
  }

  @Test
  void b3sumOfAPackagedFileEqualsItsEntryHash() throws Exception {
    Path s9pk = pack("demo", "1.0.0:0");
    try (S9pk pkg = S9pk.open(s9pk)) {
      byte[] sq = pkg.read("images/x86_64/main.squashfs", 1 << 24);
      assertThat(pkg.contents().find("images/x86_64/main.squashfs").orElseThrow().hash())
          .isEqualTo(Blake3.hash(sq));
    }
  }

  private static int lastIndexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = hay.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
