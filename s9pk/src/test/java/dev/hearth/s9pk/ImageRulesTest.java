package dev.hearth.s9pk;

import static dev.hearth.s9pk.SpecialFiles.blockDevice;
import static dev.hearth.s9pk.SpecialFiles.charDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.ImageRules.Findings;
import dev.hearth.s9pk.ImageRules.Kind;
import dev.hearth.s9pk.ImageRules.Limits;
import dev.hearth.s9pk.ImageRules.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking a root filesystem for device nodes, on trees with real device nodes (as root). */
class ImageRulesTest {
  @TempDir Path tmp;

  private Path rootfs() throws Exception {
    return Files.createDirectories(tmp.resolve("rootfs"));
  }

  @Test
  void blockAndCharacterDevicesAreFoundWithTheirNumbers() throws Exception {
    Path root = rootfs();
    blockDevice(root.resolve("dev/sda"), 8, 0);
    charDevice(root.resolve("dev/mem"), 1, 1);
    // Past 255 a minor and a major use dev_t's high bits (glibc's encoding).
    blockDevice(root.resolve("var/lib/deep/nvme"), 4095, 1048575);
    Files.writeString(root.resolve("dev/not-a-device"), "text");

    Findings found = ImageRules.check(root, ErrorKind.PACK);

    assertThat(found.violations())
        .containsExactly(
            new Violation(Path.of("dev/mem"), Kind.CHARACTER_DEVICE, 1, 1),
            new Violation(Path.of("dev/sda"), Kind.BLOCK_DEVICE, 8, 0),
            new Violation(Path.of("var/lib/deep/nvme"), Kind.BLOCK_DEVICE, 4095, 1048575));
    assertThat(found.count()).isEqualTo(3);
    assertThat(found.isClean()).isFalse();
  }

  @Test
  void requireNoDeviceNodesNamesTheTreeAndEachDevice() throws Exception {
    Path root = rootfs();
    blockDevice(root.resolve("dev/sda"), 8, 0);
    charDevice(root.resolve("dev/mem"), 1, 1);

    assertThatThrownBy(() -> ImageRules.requireNoDeviceNodes(root, "image main", ErrorKind.PACK))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry:"
                + " dev/mem (char 1:1), dev/sda (block 8:0)");
  }

  @Test
  void anOverlayWhiteoutIsRefusedAsADeviceNode() throws Exception {
    Path root = rootfs();
    charDevice(root.resolve("etc/gone"), 0, 0);

    assertThatThrownBy(() -> ImageRules.requireNoDeviceNodes(root, "image main", ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry:"
                + " etc/gone (char 0:0, an overlay whiteout)");
  }

  @Test
  void fifosSocketsSetuidFilesAndLinksAnywhereAreAllowed() throws Exception {
    Path root = rootfs();
    SpecialFiles.fifo(root.resolve("run/fifo"));
    SpecialFiles.socket(root.resolve("run/sock"));
    Path su = Files.writeString(Files.createDirectories(root.resolve("bin")).resolve("su"), "x");
    Files.setAttribute(su, "unix:mode", 04755);
    Path wall = Files.writeString(root.resolve("bin/wall"), "x");
    Files.setAttribute(wall, "unix:mode", 02755);
    Files.createSymbolicLink(root.resolve("disk"), Path.of("/dev/sda"));
    Files.createSymbolicLink(root.resolve("host"), Path.of("/"));
    Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
    Files.createSymbolicLink(root.resolve("self"), Path.of("."));

    assertThat(ImageRules.check(root, ErrorKind.PACK))
        .isEqualTo(new Findings(java.util.List.of(), 0));
    ImageRules.requireNoDeviceNodes(root, "image main", ErrorKind.PACK);
  }

  @Test
  void aLinkBelowTheRootIsNeverFollowed() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    blockDevice(elsewhere.resolve("sda"), 8, 0);
    Path root = rootfs();
    Files.createSymbolicLink(root.resolve("dev"), elsewhere);
    Files.createSymbolicLink(root.resolve("sda"), elsewhere.resolve("sda"));

    assertThat(ImageRules.check(root, ErrorKind.PACK).isClean()).isTrue();
  }

  @Test
  void aRootThatIsALinkIsCheckedWhereItPoints() throws Exception {
    Path real = rootfs();
    blockDevice(real.resolve("dev/sda"), 8, 0);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

    assertThat(ImageRules.check(link, ErrorKind.PACK).violations())
        .containsExactly(new Violation(Path.of("dev/sda"), Kind.BLOCK_DEVICE, 8, 0));
  }

  @Test
  void aRootThatIsNotADirectoryIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("rootfs.tar"), "not a tree");

    assertThatThrownBy(() -> ImageRules.check(file, ErrorKind.PACK))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FILESYSTEM))
        .hasMessage("cannot check " + file + ": " + file + " is not a directory");
  }

  @Test
  void aTreeWithMoreEntriesThanTheLimitIsRefusedUnchecked() throws Exception {
    Path root = rootfs();
    for (int i = 0; i < 5; i++) {
      Files.writeString(root.resolve("f" + i), "x");
    }
    Limits five = new Limits(5, 1000);

    // The root and five files: six entries.
    assertThatThrownBy(() -> ImageRules.check(root, "image main", ErrorKind.PACK, five))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PACK))
        .hasMessage(
            "image main has more than 5 entries, more than an image may hold; it was not checked"
                + " for device nodes");
    Files.delete(root.resolve("f0"));
    assertThat(ImageRules.check(root, "image main", ErrorKind.PACK, five).isClean()).isTrue();
  }

  @Test
  void onlyTheFirstViolationsAreKeptButEveryOneIsCounted() throws Exception {
    Path root = rootfs();
    for (int i = 0; i < 3; i++) {
      charDevice(root.resolve("null" + i), 1, 3);
    }

    Findings found = ImageRules.check(root, "image main", ErrorKind.PACK, new Limits(100, 2));

    assertThat(found.violations()).hasSize(2);
    assertThat(found.count()).isEqualTo(3);
  }

  @Test
  void theMessageNamesTenPathsAndCountsTheRest() throws Exception {
    Path root = rootfs();
    for (int i = 10; i < 22; i++) {
      charDevice(root.resolve("tty" + i), 4, i);
    }

    assertThatThrownBy(() -> ImageRules.requireNoDeviceNodes(root, "image main", ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry: tty10 (char 4:10),"
                + " tty11 (char 4:11), tty12 (char 4:12), tty13 (char 4:13), tty14 (char 4:14),"
                + " tty15 (char 4:15), tty16 (char 4:16), tty17 (char 4:17), tty18 (char 4:18),"
                + " tty19 (char 4:19) and 2 more");
  }

  @Test
  void controlCharactersInAPathAreEscapedInTheMessage() throws Exception {
    Path root = rootfs();
    charDevice(root.resolve("a\nimage main is fine\u001b[2K"), 1, 3);

    assertThatThrownBy(() -> ImageRules.requireNoDeviceNodes(root, "image main", ErrorKind.PACK))
        .hasMessage(
            "image main holds device nodes, which packages may not carry:"
                + " a\\x0aimage main is fine\\x1b[2K (char 1:3)");
  }
}
