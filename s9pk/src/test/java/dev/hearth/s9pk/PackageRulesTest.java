package dev.hearth.s9pk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.archive.ArchiveHeader;
import dev.hearth.s9pk.archive.Directory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** s9pk.md §7 and §8: what a package must contain, filtering for an arch, and re-serializing. */
class PackageRulesTest {
  @TempDir Path dir;

  @Test
  void filteringForOneArchitectureStripsTheRestAndKeepsTheSignature() throws Exception {
    Path fresh = dir.resolve("fresh.s9pk");
    Path filtered = dir.resolve("filtered.s9pk");
    ArchiveHeader signed;
    try (S9pk pkg = TestPackages.s9pk()) {
      signed = pkg.writeSigned(fresh, TestPackages.KEY);
    }
    try (S9pk opened = S9pk.open(fresh)) {
      assertThat(opened.writeKeepingSignature(filtered))
          .isEqualTo(signed); // unchanged tree: same header
      S9pk x86 = opened.validateAndFilter(Optional.of("x86_64"));
      x86.writeKeepingSignature(filtered);
    }
    try (S9pk back = S9pk.open(filtered)) {
      assertThat(back.archive().orElseThrow().header()).isEqualTo(signed);
      Directory root = back.contents();
      assertThat(root.find("images/aarch64").orElseThrow().isMissing()).isTrue();
      assertThat(root.find("notes.txt").orElseThrow().isMissing()).isTrue();
      assertThat(root.find("images/x86_64/main.squashfs").orElseThrow().isFile()).isTrue();
      assertThat(root.find("dependencies/bitcoind/icon.svg").orElseThrow().isFile()).isTrue();
      back.archive().orElseThrow().verifyFiles();
      assertThat(Files.size(filtered)).isLessThan(Files.size(fresh) - (3 << 20) + 1);
    }
  }

  @Test
  void aPackageReadBackIsWrittenInUpstreamsRootPriorityOrder() throws Exception {
    Path fresh = dir.resolve("fresh.s9pk");
    Path again = dir.resolve("again.s9pk");
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(fresh, TestPackages.KEY);
    }
    try (S9pk opened = S9pk.open(fresh)) {
      opened.writeKeepingSignature(again);
    }
    byte[] a = Files.readAllBytes(fresh);
    byte[] b = Files.readAllBytes(again);
    assertThat(b).hasSameSizeAs(a).isNotEqualTo(a); // same entries, another layout
    // Fresh: directories, then files by name (LICENSE.md first); read back: manifest.json first.
    assertThat(indexOf(a, "LICENSE.md")).isLessThan(indexOf(a, "manifest.json"));
    assertThat(indexOf(b, "manifest.json")).isLessThan(indexOf(b, "icon.png"));
    assertThat(indexOf(b, "icon.png")).isLessThan(indexOf(b, "LICENSE.md"));
    assertThat(indexOf(b, "dependencies")).isLessThan(indexOf(b, "images"));
    try (S9pk back = S9pk.open(again)) {
      back.archive().orElseThrow().verifyFiles();
    }
  }

  @Test
  void aPackageWithoutAnIconIsInvalid() {
    try (S9pk pkg = S9pk.of(TestPackages.manifest(), TestPackages.tree().without("icon.png"))) {
      assertThatThrownBy(() -> pkg.validateAndFilter(Optional.empty()))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATE_S9PK))
          .hasMessageContaining("has no icon");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPackageMissingAnImageForARequiredArchitectureIsInvalid() throws Exception {
    Directory tree = TestPackages.tree();
    Directory images =
        tree.get("images").orElseThrow().directory().orElseThrow().without("aarch64");
    try (S9pk pkg =
        S9pk.of(
            TestPackages.manifest(),
            tree.with("images", dev.hearth.s9pk.archive.Entry.directory(images)))) {
      assertThatThrownBy(() -> pkg.validateAndFilter(Optional.empty()))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATE_S9PK))
          .hasMessageContaining("image main has no images/aarch64/main.squashfs");
      assertThat(
              pkg.validateAndFilter(Optional.of("x86_64"))
                  .contents()
                  .find("images/x86_64/main.env"))
          .isPresent();
    }
  }

  @Test
  void aChangedManifestCannotKeepTheOldSignature() throws Exception {
    Path fresh = dir.resolve("fresh.s9pk");
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(fresh, TestPackages.KEY);
    }
    try (S9pk opened = S9pk.open(fresh)) {
      S9pk edited =
          opened.withManifest(
              dev.hearth.s9pk.manifest.ManifestEdit.apply(opened.manifest(), ".title = \"Other\""));
      assertThatThrownBy(() -> edited.writeKeepingSignature(dir.resolve("x.s9pk")))
          .isInstanceOfSatisfying(
              StartException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_SIGNATURE));
      edited.writeSigned(dir.resolve("resigned.s9pk"), TestPackages.KEY);
    }
    try (S9pk back = S9pk.open(dir.resolve("resigned.s9pk"))) {
      assertThat(back.manifest().title()).isEqualTo("Other");
      back.archive().orElseThrow().verifyFiles();
    }
  }

  @Test
  void aWrittenPackageGetsTheUmasksModeAndAReplacedOneKeepsItsOwn() throws Exception {
    Path fresh = dir.resolve("fresh.s9pk");
    Path reference = Files.createFile(dir.resolve("reference")); // mode from the umask
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(fresh, TestPackages.KEY);
    }
    assertThat(Files.getPosixFilePermissions(fresh))
        .isEqualTo(Files.getPosixFilePermissions(reference));

    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-r-----"));
    try (S9pk pkg = TestPackages.s9pk()) {
      pkg.writeSigned(fresh, TestPackages.KEY);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
        .isEqualTo("rw-r-----");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  private static int indexOf(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) continue outer;
      }
      return i;
    }
    throw new AssertionError(needle + " not found");
  }
}
