package dev.hearth.s9pk.pack;

import static dev.hearth.s9pk.pack.TestLayer.Compression.GZIP;
import static dev.hearth.s9pk.pack.TestLayer.Compression.NONE;
import static dev.hearth.s9pk.pack.TestLayer.Compression.ZSTD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.TestPackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker image sources without Docker: a real {@code docker-registry} on loopback, images this test
 * writes as OCI layouts and pushes with {@code skopeo}, packed by tag (s9pk.md "Image sources").
 */
class RegistryImagesTest {
  @TempDir static Path shared;
  @TempDir Path project;

  static LoopbackRegistry registry;
  static String multiArch;

  @BeforeAll
  static void pushImages() throws Exception {
    registry = new LoopbackRegistry(shared.resolve("registry"));
    TestOciLayout layout = new TestOciLayout(shared.resolve("layout"));
    // a nonce in every layer: the cache outlives a test run, and these layers must be new to it
    String nonce = Long.toString(System.nanoTime());
    TestLayer base =
        new TestLayer()
            .dir("./", 0755, 0, 0)
            .file("nonce", nonce, 0644, 0, 0)
            .dir("bin", 0755, 0, 0)
            .file("bin/busybox", "#!fake busybox\n", 0755, 0, 0)
            .symlink("bin/sh", "busybox")
            .hardlink("bin/ash", "bin/busybox")
            .file("bin/su", "setuid\n", 04755, 0, 0)
            .dir("home/app", 0700, 1000, 1001)
            .file("home/app/secret", "s3cret\n", 0600, 1000, 1001)
            .file("etc/gone", "deleted by a whiteout\n", 0644, 0, 0)
            .file("etc/kept", "kept\n", 0644, 0, 0)
            .dir("var/cache", 0755, 0, 0)
            .file("var/cache/old", "hidden by an opaque dir\n", 0644, 0, 0);
    TestLayer upper =
        new TestLayer()
            .file("nonce", nonce, 0644, 0, 0)
            .whiteout("etc", "gone")
            .opaque("var/cache")
            .file("var/cache/new", "new\n", 0644, 0, 0)
            .file("etc/kept", "replaced\n", 0640, 0, 42);
    ObjectNode amd64Config = TestOciLayout.config();
    amd64Config.putArray("Entrypoint").add("/bin/busybox").add("httpd");
    amd64Config.putArray("Cmd").add("-f").add("-p").add("8080");
    amd64Config.put("User", "1000:1001").put("WorkingDir", "/home/app");
    amd64Config.putArray("Env").add("PATH=/bin").add("GREETING=hello there");
    ObjectNode arm64Config = TestOciLayout.config();
    arm64Config.putArray("Cmd").add("/bin/sh");
    layout.tag(
        "multi",
        List.of(
            layout.image(
                "amd64",
                amd64Config,
                List.of(TestOciLayout.Layer.of(base, GZIP), TestOciLayout.Layer.of(upper, ZSTD))),
            layout.image(
                "arm64",
                arm64Config,
                List.of(
                    TestOciLayout.Layer.of(
                        new TestLayer()
                            .file("arch", "arm64\n", 0644, 0, 0)
                            .file("nonce", nonce, 0644, 0, 0),
                        NONE)))));
    multiArch = registry.push(shared.resolve("layout"), "multi", "hearth/multi:1");
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void aDockerTagImagePacksPerArchitectureWithItsConfigAndASecondPackUsesTheCache()
      throws Exception {
    writeProject("{ dockerTag: '" + multiArch + "' }", "['x86_64', 'aarch64']");
    long before = registry.blobGets();
    Path out = Packer.pack(PackRequest.defaults(project), TestPackages.KEY);
    long firstPack = registry.blobGets() - before;
    // two configs and three layers (skopeo's push gzips the uncompressed arm64 one)
    assertThat(firstPack).as("blobs fetched by the first pack").isEqualTo(5);
    try (S9pk pkg = S9pk.open(out)) {
      List<String> amd64 =
          PackerTest.listing(project, pkg.read("images/x86_64/main.squashfs", 1 << 20));
      assertThat(amd64)
          .anyMatch(l -> l.matches("drwxr-xr-x 0/0 .* squashfs-root"))
          .anyMatch(l -> l.matches("-rwxr-xr-x 0/0 .* squashfs-root/bin/busybox"))
          .anyMatch(l -> l.matches("-rwxr-xr-x 0/0 .* squashfs-root/bin/ash"))
          .anyMatch(l -> l.matches("lrwxrwxrwx 0/0 .* squashfs-root/bin/sh -> busybox"))
          .anyMatch(l -> l.matches("-rwsr-xr-x 0/0 .* squashfs-root/bin/su"))
          .anyMatch(l -> l.matches("drwx------ 1000/1001 .* squashfs-root/home/app"))
          .anyMatch(l -> l.matches("-rw------- 1000/1001 .* squashfs-root/home/app/secret"))
          .anyMatch(l -> l.matches("-rw-r----- 0/42 .* squashfs-root/etc/kept"))
          .anyMatch(l -> l.matches("-rw-r--r-- 0/0 .* squashfs-root/var/cache/new"))
          .noneMatch(
              l -> l.contains("etc/gone") || l.contains("var/cache/old") || l.contains(".wh."));
      assertThat(
              PackerTest.unsquash(
                  project, pkg.read("images/x86_64/main.squashfs", 1 << 20), "etc/kept"))
          .isEqualTo("replaced\n");
      assertThat(text(pkg, "images/x86_64/main.json"))
          .isEqualTo(
              "{\"workdir\":\"/home/app\",\"user\":\"1000:1001\",\"entrypoint\":[\"/bin/busybox\",\"httpd\"],\"cmd\":[\"-f\",\"-p\",\"8080\"]}");
      assertThat(text(pkg, "images/x86_64/main.env")).isEqualTo("PATH=/bin\nGREETING=hello there");
      assertThat(PackerTest.listing(project, pkg.read("images/aarch64/main.squashfs", 1 << 20)))
          .anyMatch(l -> l.endsWith("squashfs-root/arch"))
          .noneMatch(l -> l.contains("busybox"));
      assertThat(text(pkg, "images/aarch64/main.json"))
          .isEqualTo(
              "{\"workdir\":\"/\",\"user\":\"root\",\"entrypoint\":null,\"cmd\":[\"/bin/sh\"]}");
      assertThat(text(pkg, "images/aarch64/main.env")).isEmpty();
    }
    long mid = registry.blobGets();
    Packer.pack(PackRequest.defaults(project), TestPackages.KEY);
    // skopeo always reads an image's config; no layer is fetched again
    assertThat(registry.blobGets() - mid).as("blobs fetched by the second pack").isEqualTo(2);
  }

  @Test
  void aDockerBuildImageIsBuiltByBuildahFromAnImageOfTheRegistryWithItsBuildArgs()
      throws Exception {
    Files.createDirectories(project.resolve("docker"));
    Files.writeString(
        project.resolve("docker/Dockerfile"),
        """
        FROM %s
        ARG WHO=unset
        ENV BUILT_FOR=$WHO
        COPY hello.txt /home/app/hello.txt
        CMD ["/bin/busybox", "cat", "/home/app/hello.txt"]
        """
            .formatted(multiArch));
    Files.writeString(project.resolve("docker/hello.txt"), "built\n");
    writeProject(
        "{ dockerBuild: { workdir: 'docker', buildArgs: { WHO: 'the test' } } }", "['x86_64']");
    try (S9pk pkg = S9pk.open(Packer.pack(PackRequest.defaults(project), TestPackages.KEY))) {
      byte[] sq = pkg.read("images/x86_64/main.squashfs", 1 << 20);
      assertThat(PackerTest.unsquash(project, sq, "home/app/hello.txt")).isEqualTo("built\n");
      assertThat(PackerTest.listing(project, sq))
          .anyMatch(l -> l.matches("-rw------- 1000/1001 .* squashfs-root/home/app/secret"))
          .noneMatch(l -> l.contains("etc/gone"));
      assertThat(text(pkg, "images/x86_64/main.json"))
          .isEqualTo(
              "{\"workdir\":\"/home/app\",\"user\":\"1000:1001\",\"entrypoint\":[\"/bin/busybox\",\"httpd\"],\"cmd\":[\"/bin/busybox\",\"cat\",\"/home/app/hello.txt\"]}");
      assertThat(text(pkg, "images/x86_64/main.env"))
          .isEqualTo("PATH=/bin\nGREETING=hello there\nBUILT_FOR=the test");
    }
  }

  @Test
  void anImagePulledBeforePacksFromTheCacheWhenItsRegistryIsGone(@TempDir Path scratch)
      throws Exception {
    TestOciLayout layout = new TestOciLayout(scratch.resolve("layout"));
    layout.tag(
        "v1",
        List.of(
            layout.image(
                "amd64",
                TestOciLayout.config(),
                List.of(
                    TestOciLayout.Layer.of(
                        new TestLayer()
                            .file("offline", Long.toString(System.nanoTime()), 0644, 0, 0),
                        GZIP)))));
    String image;
    try (LoopbackRegistry gone = new LoopbackRegistry(scratch.resolve("registry"))) {
      image = gone.push(scratch.resolve("layout"), "v1", "hearth/offline:1");
      writeProject("{ dockerTag: '" + image + "' }", "['x86_64']");
      Packer.pack(PackRequest.defaults(project), TestPackages.KEY);
    }
    Files.delete(project.resolve("image-test.s9pk"));
    try (S9pk pkg = S9pk.open(Packer.pack(PackRequest.defaults(project), TestPackages.KEY))) {
      assertThat(PackerTest.listing(project, pkg.read("images/x86_64/main.squashfs", 1 << 20)))
          .anyMatch(l -> l.endsWith("squashfs-root/offline"));
    }
  }

  @Test
  void aMissingTagIsAPackErrorNamingTheImage() throws Exception {
    writeProject("{ dockerTag: '" + registry.host + "/hearth/nothing:1' }", "['x86_64']");
    Path out = project.resolve("out.s9pk");
    PackRequest req = PackRequest.defaults(project);
    assertThatThrownBy(() -> Packer.pack(withOutput(req, out), TestPackages.KEY))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessageContaining(
            "cannot pull " + registry.host + "/hearth/nothing:1 for x86_64 (image main)");
    assertThat(out).doesNotExist();
  }

  static PackRequest withOutput(PackRequest r, Path out) {
    return new PackRequest(
        r.projectDir(),
        java.util.Optional.of(out),
        r.javascript(),
        r.icon(),
        r.license(),
        r.instructions(),
        r.assets(),
        r.assetsMode(),
        r.arch());
  }

  static String text(S9pk pkg, String path) {
    return new String(pkg.read(path, 1 << 16), StandardCharsets.UTF_8);
  }

  void writeProject(String source, String arch) throws Exception {
    writeProject(project, source, arch);
  }

  static void writeProject(Path project, String source, String arch) throws Exception {
    Files.createDirectories(project.resolve("javascript"));
    Files.write(project.resolve("icon.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Files.writeString(project.resolve("LICENSE.md"), "MIT");
    Files.writeString(project.resolve("instructions.md"), "# Use it");
    Files.writeString(
        project.resolve("javascript/index.js"),
        """
        exports.manifest = {
          id: 'image-test', title: 'Images', license: 'MIT', version: '1.0.0:0',
          canMigrateTo: '*', canMigrateFrom: '*', releaseNotes: 'notes',
          description: { short: 'short', long: 'long' },
          upstreamRepo: 'https://example.org', marketingUrl: 'https://example.org', donationUrl: null,
          osVersion: '0.4.0-beta.10', sdkVersion: '2.0.9', gitHash: null,
          volumes: ['main'], dependencies: {}, satisfies: [], plugins: [],
          images: { main: { source: %s, arch: %s, emulateMissingAs: 'x86_64', nvidiaContainer: false } },
          hardwareRequirements: { device: [], ram: null, arch: null },
          hardwareAcceleration: false, userspaceFilesystems: false, virtualNetworking: false,
        }
        """
            .formatted(source, arch));
  }
}
