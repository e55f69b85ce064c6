package dev.hearth.startd.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {
  private static final Path PKG = Path.of("/data/pkg.s9pk");

  @Test
  void aTypicalServiceSpecIsAccepted() {
    var spec =
        new ContainerSpec(
            "hello-world",
            "hello-world.startos",
            List.of(
                new ContainerMount.Squashfs(PKG, 1000, 4096, "/media/startos/images/main"),
                new ContainerMount.File("A=1".getBytes(UTF_8), "/media/startos/images/main.env"),
                new ContainerMount.Bind(
                    Path.of("/data/v"), "/media/startos/volumes/main", Access.READ_WRITE),
                new ContainerMount.OverlayOnSquashfs(PKG, 9000, 4096, "/media/startos/assets")));
    assertThat(spec.mounts()).hasSize(4);
    assertThat(spec.limits()).isNull();
  }

  @Test
  void namesMustBeShortLowercaseAndDashed() {
    assertThatThrownBy(() -> new ContainerSpec("Hello", "h", List.of()))
        .hasMessageContaining("[a-z0-9-]");
    assertThatThrownBy(() -> new ContainerSpec("-x", "h", List.of())).hasMessageContaining("'-'");
    assertThatThrownBy(() -> new ContainerSpec("a".repeat(41), "h", List.of()))
        .hasMessageContaining("40");
    assertThatThrownBy(() -> new ContainerSpec("a/b", "h", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ContainerSpec("a".repeat(40), "h", List.of()).name()).hasSize(40);
  }

  @Test
  void hostnamesFollowRfc1123() {
    assertThatThrownBy(() -> new ContainerSpec("x", "bad_host", List.of()))
        .hasMessageContaining("RFC 1123");
    assertThatThrownBy(() -> new ContainerSpec("x", "a..b", List.of()))
        .hasMessageContaining("RFC 1123");
    assertThatThrownBy(() -> new ContainerSpec("x", "-a", List.of()))
        .hasMessageContaining("RFC 1123");
    assertThat(new ContainerSpec("x", "Svc-1.local", List.of()).hostname())
        .isEqualTo("Svc-1.local");
  }

  @Test
  void mountsMayNotOverlapEachOtherOrThePathsWeOwn() {
    assertThatThrownBy(() ->
            new ContainerSpec(
                "x",
                "x",
                List.of(
                    new ContainerMount.Squashfs(PKG, 0, 1, "/media/startos/images/main"),
                    new ContainerMount.File(new byte[0], "/media/startos/images/main/etc/passwd"))))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() ->
            new ContainerSpec(
                "x",
                "x",
                List.of(
                    new ContainerMount.Bind(
                        Path.of("/v"), "/media/startos/rpc", Access.READ_WRITE))))
        .hasMessageContaining("/media/startos/rpc");
    assertThatThrownBy(() ->
            new ContainerSpec(
                "x",
                "x",
                List.of(new ContainerMount.Bind(Path.of("/v"), "/media", Access.READ_WRITE))))
        .hasMessageContaining("overlap");
  }

  @Test
  void mountsValidateTheirOwnFields() {
    assertThatThrownBy(() -> new ContainerMount.Squashfs(Path.of("rel.s9pk"), 0, 1, "/a"))
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> new ContainerMount.Squashfs(PKG, -1, 1, "/a"))
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> new ContainerMount.OverlayOnSquashfs(PKG, 0, 0, "/a"))
        .hasMessageContaining("length");
    assertThatThrownBy(() -> new ContainerMount.Bind(Path.of("v"), "/a", Access.READ_ONLY))
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> new ContainerMount.File(new byte[0], "/a/../b"))
        .hasMessageContaining("..");
  }

  @Test
  void aFileMountOwnsACopyOfItsBytes() {
    byte[] b = "A=1".getBytes(UTF_8);
    var f = new ContainerMount.File(b, "/x.env");
    b[0] = 'B';
    assertThat(new String(f.content(), UTF_8)).isEqualTo("A=1");
    f.content()[0] = 'C';
    assertThat(f).isEqualTo(new ContainerMount.File("A=1".getBytes(UTF_8), "/x.env"));
    assertThat(f.toString()).isEqualTo("File[3 bytes, at=/x.env]");
  }

  @Test
  void limitsAndSettingsRefuseContradictions() {
    assertThatThrownBy(() -> new Limits(1024, 0, 0, 0)).hasMessageContaining("memoryBytes");
    assertThatThrownBy(() -> new Limits(0, 0, 1, 0)).hasMessageContaining("cpuShares");
    assertThatThrownBy(() -> new Limits(0, -1, 0, 0)).hasMessageContaining("maxPids");
    assertThat(new Limits(0, 0, 1024, 0).cpuWeight()).isEqualTo(39);
    assertThat(new Limits(0, 0, 2, 0).cpuWeight()).isEqualTo(1);
    assertThat(new Limits(0, 0, Limits.MAX_SHARES, 0).cpuWeight()).isEqualTo(10000);
    Path root = Path.of("/var/lib/hearth");
    assertThatThrownBy(() ->
            new ContainerSettings(
                root.resolve("lxc"),
                root.resolve("lxc/mnt"),
                root.resolve("rt.squashfs"),
                "hearth0",
                "10.0.3.0/24",
                null,
                "0.0.0.0",
                Limits.NONE))
        .hasMessageContaining("contain each other");
    assertThatThrownBy(() ->
            new ContainerSettings(
                root.resolve("lxc"),
                root.resolve("mnt"),
                root.resolve("rt.squashfs"),
                "a-bridge-name-too-long",
                "10.0.3.0/24",
                null,
                "0.0.0.0",
                Limits.NONE))
        .hasMessageContaining("containers.bridge");
    assertThatThrownBy(() ->
            new ContainerSettings(
                Path.of("/var/lib/my lxc"),
                root.resolve("mnt"),
                root.resolve("rt.squashfs"),
                "hearth0",
                "10.0.3.0/24",
                null,
                "0.0.0.0",
                Limits.NONE))
        .hasMessageContaining("blanks");
    assertThatThrownBy(() ->
            new ContainerSettings(
                root.resolve("lxc"),
                root.resolve("mnt"),
                root.resolve("rt.squashfs"),
                "hearth0",
                "10.0.3.0/24",
                "bad ns",
                "0.0.0.0",
                Limits.NONE))
        .hasMessageContaining("containers.netns");
  }
}
