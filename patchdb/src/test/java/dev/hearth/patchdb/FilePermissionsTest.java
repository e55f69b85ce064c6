package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal holds password hashes and private keys: no other user of the host may read any file
 * of the database. (These tests prove something only under a umask that leaves files readable to
 * others, such as the usual 022.)
 */
class FilePermissionsTest {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OPEN_FILE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OPEN_DIRECTORY =
      PosixFilePermissions.fromString("rwxr-xr-x");

  @TempDir Path parent;

  @Test
  void everyFileTheDatabaseWritesIsReadableByItsOwnerOnly() throws IOException {
    Path dir = parent.resolve("db");
    var options = PatchDbOptions.defaults().withCompactAfterBytes(2048);
    try (var db = PatchDb.open(dir, options)) {
      for (int i = 0; i < 200; i++) {
        int n = i;
        db.mutate(tx -> tx.put(JsonPointer.of("k" + n % 7), Json.of("v".repeat(n))));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> db.stats().compactions() > 0);
      assertThat(modes(dir))
          .containsKeys("LOCK")
          .allSatisfy((name, mode) -> assertThat(mode).as(name).isEqualTo(FILE));
    }
    assertThat(modes(dir).keySet()).anyMatch(name -> name.startsWith("snapshot-"));
    assertThat(modes(dir).keySet()).anyMatch(name -> name.startsWith("journal-"));
    assertThat(modes(dir)).allSatisfy((name, mode) -> assertThat(mode).as(name).isEqualTo(FILE));
    assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(DIRECTORY);
  }

  @Test
  void onlyTheDatabaseDirectoryIsClosedToOthersNotTheParentsItCreates() throws IOException {
    Path data = parent.resolve("data");
    Path dir = data.resolve("db");
    PatchDb.open(dir).close();
    assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(DIRECTORY);
    assertThat(Files.getPosixFilePermissions(data)).isNotEqualTo(DIRECTORY);
  }

  @Test
  void aKeptTailIsReadableByItsOwnerOnly() throws IOException {
    Path dir = parent.resolve("db");
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> tx.put(JsonPointer.of("k"), Json.of(1)));
    }
    Files.write(
        dir.resolve(DiskFormat.segmentName(1)), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    try (var db = PatchDb.open(dir)) {
      assertThat(Files.getPosixFilePermissions(db.recoveredDamage().getFirst().keptAt()))
          .isEqualTo(FILE);
    }
  }

  @Test
  void openingADatabaseOthersCouldReadTakesTheirAccessAway() throws IOException {
    Path dir = parent.resolve("db");
    try (var db = PatchDb.open(dir, PatchDbOptions.defaults().withCompactAfterBytes(64))) {
      for (int i = 0; i < 20; i++) {
        int n = i;
        db.mutate(tx -> tx.put(JsonPointer.of("k"), Json.of(n)));
      }
    }
    Path foreign = Files.writeString(dir.resolve("notes.txt"), "not the database's");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.setPosixFilePermissions(file, OPEN_FILE);
      }
    }
    Files.setPosixFilePermissions(dir, OPEN_DIRECTORY);

    try (var db = PatchDb.open(dir)) {
      assertThat(db.sequence()).isEqualTo(20);
    }
    Map<String, Set<PosixFilePermission>> modes = modes(dir);
    assertThat(modes.remove("notes.txt"))
        .as("a file that is not the database's")
        .isEqualTo(OPEN_FILE);
    assertThat(modes)
        .isNotEmpty()
        .allSatisfy((name, mode) -> assertThat(mode).as(name).isEqualTo(FILE));
    assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(DIRECTORY);
    assertThat(foreign).hasContent("not the database's");
  }

  private static Map<String, Set<PosixFilePermission>> modes(Path dir) throws IOException {
    Map<String, Set<PosixFilePermission>> modes = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        modes.put(file.getFileName().toString(), Files.getPosixFilePermissions(file));
      }
    }
    return modes;
  }
}
