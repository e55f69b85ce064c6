package dev.hearth.s9pk.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.SpecialFiles;
import dev.hearth.s9pk.TestPackages;
import dev.hearth.s9pk.manifest.ImageSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing a project with the real node, mksquashfs and tar (s9pk.md §8). */
class PackerTest {
  @TempDir Path project;

  @BeforeEach
  void writeProject() throws Exception {
    Files.createDirectories(project.resolve("javascript"));
    Files.createDirectories(project.resolve("rootfs/bin"));
    Files.createDirectories(project.resolve("assets"));
    Files.writeString(project.resolve("rootfs/bin/hello"), "#!/bin/sh\necho hello\n");
    Files.writeString(project.resolve("assets/readme.txt"), "an asset");
    Files.write(project.resolve("icon.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Files.writeString(project.resolve("LICENSE.md"), "MIT");
    Files.writeString(project.resolve("instructions.md"), "# Use it");
    Files.createDirectories(project.resolve("tarred"));
    Files.writeString(project.resolve("tarred/etc-motd"), "from a tarball");
    for (String name : List.of("side.tar", "side-x86_64.tar")) {
      tar("tarred", name);
    }
    bundle("{ rootfs: 'rootfs' }", "{ rootfs: 'side-{arch}.tar' }");
  }

  private void bundle(String mainSource, String sideSource) throws Exception {
    Files.writeString(
        project.resolve("javascript/index.js"),
        """
        exports.manifest = {
          id: 'packed-test', title: 'Packed', license: 'MIT', version: '2.1.0:3',
          canMigrateTo: '*', canMigrateFrom: '*', releaseNotes: 'notes',
          description: { short: 'short', long: 'long' },
          upstreamRepo: 'https://example.org', marketingUrl: 'https://example.org', donationUrl: null,
          osVersion: '0.4.0-beta.10', sdkVersion: '2.0.9', gitHash: null,
          volumes: ['main'], dependencies: {}, satisfies: [], plugins: [],
          images: {
            main: { source: %s, arch: ['x86_64'], emulateMissingAs: 'x86_64', nvidiaContainer: false },
            side: { source: %s, arch: ['x86_64', 'aarch64'], emulateMissingAs: 'x86_64', nvidiaContainer: false },
          },
          hardwareRequirements: { device: [], ram: null, arch: null },
          hardwareAcceleration: false, userspaceFilesystems: false, virtualNetworking: false,
        }
        """
            .formatted(mainSource, sideSource));
  }

  @Test
  void aProjectPacksIntoAValidSignedPackageWithSquashfsImages() throws Exception {
    Path out = Packer.pack(PackRequest.defaults(project), TestPackages.KEY);
    assertThat(out).isEqualTo(project.resolve("packed-test.s9pk"));
    try (S9pk pkg = S9pk.open(out)) {
      pkg.archive().orElseThrow().verifyFiles();
      assertThat(pkg.manifest().images().get("main").source()).isEqualTo(new ImageSource.Packed());
      assertThat(pkg.manifest().gitHash()).isNull(); // not a git work tree
      assertThat(pkg.contents().paths())
          .contains(
              "icon.png",
              "LICENSE.md",
              "instructions.md",
              "javascript.squashfs",
              "assets.squashfs",
              "images/x86_64/main.squashfs",
              "images/x86_64/main.json",
              "images/x86_64/main.env",
              "images/x86_64/side.squashfs")
          .doesNotContain("images/aarch64/side.squashfs"); // no aarch64 source: emulated
      byte[] squash = pkg.read("images/x86_64/main.squashfs", 1 << 20);
      assertThat(new String(squash, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("hsqs");
      assertThat(pkg.archive().orElseThrow().signer()).isEqualTo(TestPackages.KEY.publicKey());
      assertThat(unsquash(project, squash, "bin/hello")).isEqualTo("#!/bin/sh\necho hello\n");
      assertThat(unsquash(project, pkg.read("images/x86_64/side.squashfs", 1 << 20), "etc-motd"))
          .isEqualTo("from a tarball");
    }
  }

  @Test
  void packingForOneArchitectureBuildsOnlyItAndNarrowsTheManifest() throws Exception {
    bundle("{ rootfs: 'rootfs' }", "{ rootfs: 'side.tar' }");
    PackRequest d = PackRequest.defaults(project);
    PackRequest arm =
        new PackRequest(
            d.projectDir(),
            Optional.of(Path.of("arm.s9pk")),
            d.javascript(),
            d.icon(),
            d.license(),
            d.instructions(),
            d.assets(),
            PackRequest.Assets.NONE,
            Optional.of("aarch64"));
    Path out = Packer.pack(arm, TestPackages.KEY);
    try (S9pk pkg = S9pk.open(out)) {
      // side's tarball has no {arch}, so it serves aarch64; main has only x86_64 and is emulated.
      assertThat(pkg.manifest().images().get("side").arch()).containsExactly("aarch64");
      assertThat(pkg.manifest().images().get("main").arch()).containsExactly("x86_64");
      assertThat(pkg.contents().paths())
          .contains("images/aarch64/side.squashfs", "images/x86_64/main.squashfs")
          .doesNotContain("assets.squashfs", "images/x86_64/side.squashfs");
      pkg.validateAndFilter(Optional.of("aarch64"));
    }
  }

  @Test
  void aDockerBuildWithoutBuildahSaysWhatToInstall() {
    assertThatThrownBy(() -> ContainerBuild.requireBuildah(project.toString(), "image main"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main uses the dockerBuild source, which needs buildah, and it is not installed;"
                + " install it (apt-get install buildah)");
  }

  @Test
  void aDockerBuildWithoutItsDockerfileNamesIt() throws Exception {
    bundle("{ dockerBuild: { workdir: 'docker' } }", "{ rootfs: 'rootfs' }");
    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main: the Dockerfile "
                + project.resolve("docker/Dockerfile")
                + " does not exist");
  }

  @Test
  void aFailedImageAdditionLeavesNoScratchDirectoryBehind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (S9pk pkg = dev.hearth.s9pk.TestPackages.s9pk()) {
      List<Path> before = scratchDirs(tmp);
      assertThatThrownBy(() ->
              new ImageAddition(
                  pkg,
                  "extra",
                  new ImageSource.Rootfs(project.resolve("no-such-dir").toString()),
                  List.of("x86_64"),
                  null,
                  false))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
          .hasMessageContaining("image extra has no source for x86_64");
      assertThat(scratchDirs(tmp)).isEqualTo(before);
    }
  }

  private static List<Path> scratchDirs(Path tmp) throws java.io.IOException {
    try (var list = Files.list(tmp)) {
      return list.filter(p -> p.getFileName().toString().startsWith("hearth-add-image-"))
          .sorted()
          .toList();
    }
  }

  // The attack: an image holding a node for a host disk gives the container that disk wherever the
  // image is mounted with device access. Packing must refuse such an image.

  @Test
  void packRefusesAnImageHoldingABlockAndACharacterDevice() throws Exception {
    SpecialFiles.blockDevice(project.resolve("rootfs/dev/sda"), 8, 0);
    SpecialFiles.charDevice(project.resolve("rootfs/dev/mem"), 1, 1);

    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry:"
                + " dev/mem (char 1:1), dev/sda (block 8:0)");
    assertThat(project.resolve("packed-test.s9pk")).doesNotExist();
  }

  @Test
  void packRefusesATarballImageHoldingADevice() throws Exception {
    SpecialFiles.blockDevice(project.resolve("tarred/dev/sda"), 8, 0);
    tar("tarred", "side-x86_64.tar");

    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image side holds device nodes, which packages may not carry: dev/sda (block 8:0)");
    assertThat(project.resolve("packed-test.s9pk")).doesNotExist();
  }

  @Test
  void packRefusesAnImageWhoseRootIsALinkToATreeHoldingADevice() throws Exception {
    Path elsewhere = Files.createDirectories(project.resolve("elsewhere"));
    SpecialFiles.blockDevice(elsewhere.resolve("dev/sda"), 8, 0);
    Trees.delete(project.resolve("rootfs"));
    Files.createSymbolicLink(project.resolve("rootfs"), elsewhere);

    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry: dev/sda (block 8:0)");
    assertThat(project.resolve("packed-test.s9pk")).doesNotExist();
  }

  @Test
  void packRefusesAssetsHoldingADevice() throws Exception {
    SpecialFiles.charDevice(project.resolve("assets/mem"), 1, 1);

    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "the assets directory holds device nodes, which packages may not carry: mem (char 1:1)");
    assertThat(project.resolve("packed-test.s9pk")).doesNotExist();
  }

  @Test
  void anImageWhoseRootIsALinkHoldsTheTreeItPointsTo() throws Exception {
    Path elsewhere = Files.createDirectories(project.resolve("elsewhere/bin"));
    Files.writeString(elsewhere.resolve("hello"), "linked");
    Trees.delete(project.resolve("rootfs"));
    Files.createSymbolicLink(project.resolve("rootfs"), elsewhere.getParent());

    Path out = Packer.pack(PackRequest.defaults(project), TestPackages.KEY);

    try (S9pk pkg = S9pk.open(out)) {
      assertThat(unsquash(project, pkg.read("images/x86_64/main.squashfs", 1 << 20), "bin/hello"))
          .isEqualTo("linked");
    }
  }

  @Test
  void setuidFilesFifosSocketsAndLinksToDevicesArePackedAsTheyAre() throws Exception {
    Path root = project.resolve("rootfs");
    Path su = Files.writeString(root.resolve("bin/su"), "#!/bin/sh\n");
    Files.setAttribute(su, "unix:mode", 04755);
    SpecialFiles.fifo(root.resolve("run/initctl"));
    SpecialFiles.socket(root.resolve("run/sock"));
    Files.createSymbolicLink(root.resolve("disk"), Path.of("/dev/sda"));
    Files.createSymbolicLink(root.resolve("host"), Path.of("/"));
    Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));

    Path out = Packer.pack(PackRequest.defaults(project), TestPackages.KEY);

    try (S9pk pkg = S9pk.open(out)) {
      List<String> listing = listing(project, pkg.read("images/x86_64/main.squashfs", 1 << 20));
      assertThat(listing)
          .anyMatch(l -> l.startsWith("-rwsr-xr-x ") && l.endsWith("/bin/su"))
          .anyMatch(l -> l.startsWith("p") && l.endsWith("/run/initctl"))
          .anyMatch(l -> l.startsWith("s") && l.endsWith("/run/sock"))
          .anyMatch(l -> l.startsWith("l") && l.endsWith("/disk -> /dev/sda"))
          .anyMatch(l -> l.startsWith("l") && l.endsWith("/host -> /"))
          .anyMatch(l -> l.startsWith("l") && l.endsWith("/loop-a -> loop-b"))
          .noneMatch(l -> l.startsWith("b") || l.startsWith("c"));
    }
  }

  @Test
  void addingAnImageHoldingADeviceIsRefused() throws Exception {
    SpecialFiles.blockDevice(project.resolve("rootfs/dev/sda"), 8, 0);
    try (S9pk pkg = TestPackages.s9pk()) {
      assertThatThrownBy(() ->
              new ImageAddition(
                  pkg,
                  "extra",
                  new ImageSource.Rootfs(project.resolve("rootfs").toString()),
                  List.of("x86_64"),
                  null,
                  false))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
          .hasMessage(
              "image extra holds device nodes, which packages may not carry: dev/sda (block 8:0)");
    }
  }

  @Test
  void theLicenseIsTheOneFileNamedLicenseWhateverItsExtensionAndCase() throws Exception {
    Files.move(project.resolve("LICENSE.md"), project.resolve("LICENSE"));
    assertThat(Ingredients.list(PackRequest.defaults(project))).contains(Path.of("LICENSE"));
    try (S9pk pkg = S9pk.open(Packer.pack(PackRequest.defaults(project), TestPackages.KEY))) {
      assertThat(new String(pkg.read("LICENSE.md", 1024), StandardCharsets.UTF_8)).isEqualTo("MIT");
    }
    Files.move(project.resolve("LICENSE"), project.resolve("License.txt"));
    assertThat(Ingredients.list(PackRequest.defaults(project))).contains(Path.of("License.txt"));
    Files.writeString(project.resolve("LICENSE"), "another");
    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .hasMessageContaining("more than one license file");
    Files.delete(project.resolve("LICENSE"));
    Files.delete(project.resolve("License.txt"));
    assertThatThrownBy(() -> Packer.pack(PackRequest.defaults(project), TestPackages.KEY))
        .hasMessageContaining("no license file");
    assertThat(Ingredients.list(PackRequest.defaults(project)))
        .noneMatch(p -> p.toString().toLowerCase(java.util.Locale.ROOT).startsWith("license"));
  }

  @Test
  void ingredientsListTheBundleFirstAndEveryImageSource() {
    List<Path> ingredients = Ingredients.list(PackRequest.defaults(project));
    assertThat(ingredients.getFirst()).isEqualTo(Path.of("javascript/index.js"));
    assertThat(ingredients)
        .contains(
            Path.of("icon.png"),
            Path.of("LICENSE.md"),
            Path.of("instructions.md"),
            Path.of("assets"),
            Path.of("rootfs"),
            Path.of("side-x86_64.tar"),
            Path.of("side-aarch64.tar"));
  }

  private void tar(String dir, String name) throws Exception {
    Files.deleteIfExists(project.resolve(name));
    Process tar =
        new ProcessBuilder("tar", "-cf", name, "-C", dir, ".").directory(project.toFile()).start();
    assertThat(tar.waitFor()).isZero();
  }

  /** unsquashfs -lln: one line per entry, starting with its ls -l mode string. */
  static List<String> listing(Path scratch, byte[] squashfs) throws Exception {
    Path img = Files.createTempFile(scratch, "img", ".squashfs");
    Files.write(img, squashfs);
    Process p = new ProcessBuilder("unsquashfs", "-lln", img.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return out.lines().toList();
  }

  static String unsquash(Path scratch, byte[] squashfs, String path) throws Exception {
    Path img = Files.createTempFile(scratch, "img", ".squashfs");
    Files.write(img, squashfs);
    Process p = new ProcessBuilder("unsquashfs", "-cat", img.toString(), path).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return out;
  }
}
