package dev.hearth.s9pk.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the library's copy is written before {@code dlopen}: nowhere another user prepared. */
class LibraryCopyTest {
  @TempDir Path tmp;
  @TempDir Path attackers;

  @Test
  void aLinkPlantedAtTheNextNameIsNotUsedAndTheDirectoryIsOwnerOnly() throws Exception {
    var names = new AtomicLong(100);
    String planted = "hearth-blake3-" + ProcessHandle.current().pid() + "-100";
    // Another user guessed the name (pid and clock): a link to a directory they can write to.
    Files.createSymbolicLink(tmp.resolve(planted), attackers);

    Path dir = LibraryCopy.ownerOnlyDirectory(tmp, "hearth-blake3-", names::getAndIncrement);

    assertThat(dir.getFileName().toString()).isNotEqualTo(planted).startsWith("hearth-blake3-");
    assertThat(Files.isSymbolicLink(dir)).isFalse();
    assertThat(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (var inAttackers = Files.list(attackers)) {
      assertThat(inAttackers).isEmpty();
    }
  }

  @Test
  void everyGuessedNameTakenStillGivesAFreshDirectory() throws Exception {
    long pid = ProcessHandle.current().pid();
    // The supplier below always answers 7, so every attempt meets this directory.
    Files.createDirectory(tmp.resolve("hearth-blake3-" + pid + "-7"));
    Path dir = LibraryCopy.ownerOnlyDirectory(tmp, "hearth-blake3-", () -> 7);
    assertThat(dir.getFileName().toString()).isNotEqualTo("hearth-blake3-" + pid + "-7");
    assertThat(Files.getPosixFilePermissions(dir))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}
