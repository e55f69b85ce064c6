package dev.hearth.s9pk.pack;

import static dev.hearth.s9pk.pack.TestLayer.Compression.GZIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.TestPackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers are hostile input: what a registry or an OCI layout may not make {@code pack} do. Read
 * through an {@code ociLayout} source, the same code a {@code dockerTag} pull ends in.
 */
class HostileLayersTest {
  @TempDir Path project;

  private Path packLayers(TestLayer... layers) throws Exception {
    TestOciLayout layout = new TestOciLayout(project.resolve("oci"));
    List<TestOciLayout.Layer> ls =
        java.util.Arrays.stream(layers).map(l -> TestOciLayout.Layer.of(l, GZIP)).toList();
    layout.tag("latest", List.of(layout.image("amd64", TestOciLayout.config(), ls)));
    RegistryImagesTest.writeProject(project, "{ ociLayout: 'oci', ref: 'latest' }", "['x86_64']");
    return Packer.pack(
        RegistryImagesTest.withOutput(PackRequest.defaults(project), project.resolve("out.s9pk")),
        TestPackages.KEY);
  }

  private void refused(String message, TestLayer... layers) {
    assertThatThrownBy(() -> packLayers(layers))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(message);
    assertThat(project.resolve("out.s9pk")).doesNotExist();
  }

  @Test
  void aDeviceNodeIsRefused() {
    refused(
        "image main: layer 1 holds the device node /dev/mem (character device 1:1), which"
            + " packages may not carry",
        new TestLayer().file("ok", "fine", 0644, 0, 0).charDevice("dev/mem", 1, 1));
  }

  @Test
  void aNameClimbingOutIsRefused() {
    refused(
        "image main: layer 1 has the name \"etc/../../escape\", which climbs out with \"..\"",
        new TestLayer().raw("etc/../../escape", "x"));
  }

  @Test
  void aWhiteoutNamingTheParentIsRefused() {
    refused(
        "image main: layer 2 has the whiteout \"etc/.wh...\", which names no entry",
        new TestLayer().file("etc/kept", "x", 0644, 0, 0),
        new TestLayer().raw("etc/.wh...", ""));
  }

  @Test
  void anAbsoluteNameIsRefused() {
    refused(
        "image main: layer 1 has the absolute name \"/etc/passwd\"",
        new TestLayer().raw("/etc/passwd", "x"));
  }

  @Test
  void aLinkFromALowerLayerIsNeverFollowed() {
    refused(
        "image main: layer 2 puts /etc/passwd below /etc, which is a symbolic link in the image;"
            + " it is never followed",
        new TestLayer().symlink("etc", "/etc"),
        new TestLayer().file("etc/passwd", "owned\n", 0644, 0, 0));
  }

  @Test
  void aHardLinkToSomethingOutsideTheImageIsRefused() {
    refused(
        "image main: layer 1 hard-links /shadow to /etc/shadow, which is not a file of the image",
        new TestLayer().hardlink("shadow", "etc/shadow"));
  }

  @Test
  void aLayoutWhoseBlobWasChangedIsRefused() throws Exception {
    packLayers(new TestLayer().file("a", "a\n", 0644, 0, 0));
    try (var blobs = Files.list(project.resolve("oci/blobs/sha256"))) {
      for (Path b : blobs.toList()) {
        byte[] bytes = Files.readAllBytes(b);
        bytes[bytes.length - 1] ^= 1;
        Files.write(b, bytes);
      }
    }
    Files.delete(project.resolve("out.s9pk"));
    assertThatThrownBy(() ->
            Packer.pack(
                RegistryImagesTest.withOutput(
                    PackRequest.defaults(project), project.resolve("out.s9pk")),
                TestPackages.KEY))
        .hasMessageContaining("whose bytes do not match its digest or size");
  }

  @Test
  void anOciLayoutPacksWithTheMetadataOfItsConfig() throws Exception {
    TestOciLayout layout = new TestOciLayout(project.resolve("oci"));
    var cfg = TestOciLayout.config();
    cfg.putArray("Entrypoint").add("/bin/run");
    cfg.put("User", "app");
    layout.tag(
        "v1",
        List.of(
            layout.image(
                "amd64",
                cfg,
                List.of(
                    TestOciLayout.Layer.of(
                        new TestLayer().file("bin/run", "run", 0755, 0, 0), GZIP),
                    TestOciLayout.Layer.of(
                        new TestLayer().file("etc/plain", "uncompressed", 0644, 0, 0),
                        TestLayer.Compression.NONE)))));
    RegistryImagesTest.writeProject(project, "{ ociLayout: 'oci', ref: 'v1' }", "['x86_64']");
    assertThat(Ingredients.list(PackRequest.defaults(project))).contains(Path.of("oci/index.json"));
    try (S9pk pkg = S9pk.open(Packer.pack(PackRequest.defaults(project), TestPackages.KEY))) {
      assertThat(RegistryImagesTest.text(pkg, "images/x86_64/main.json"))
          .isEqualTo(
              "{\"workdir\":\"/\",\"user\":\"app\",\"entrypoint\":[\"/bin/run\"],\"cmd\":null}");
      assertThat(RegistryImagesTest.text(pkg, "images/x86_64/main.env")).isEmpty();
      assertThat(
              PackerTest.unsquash(
                  project, pkg.read("images/x86_64/main.squashfs", 1 << 20), "etc/plain"))
          .isEqualTo("uncompressed");
    }
  }
}
