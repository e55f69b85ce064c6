package dev.hearth.startd.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.PatchDb;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();

  private void writeSchema(int version) {
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> {
        tx.put(
            JsonPointer.ROOT,
            Json.parse("{\"public\":{},\"private\":{\"schemaVersion\":" + version + "}}"));
      });
    }
  }

  @Test
  void anEmptyDatabaseIsLeftForSetup() {
    try (var db = Database.open(dir, mapper, Migrations.standard())) {
      assertThat(db.isInitialized()).isFalse();
    }
  }

  @Test
  void olderSchemasRunEveryStepInOneTransaction() {
    writeSchema(1);
    var migrations =
        new Migrations(
            3,
            List.of(
                new Migrations.Step(
                    1, "add a", tx -> tx.put(JsonPointer.parse("/public/a"), Json.of(1))),
                new Migrations.Step(
                    2, "add b", tx -> tx.put(JsonPointer.parse("/public/b"), Json.of(2)))));
    try (var db = Database.open(dir, mapper, migrations)) {
      var s = db.snapshot();
      assertThat(s.get(JsonPointer.parse("/public/a"))).contains(Json.of(1));
      assertThat(s.get(JsonPointer.parse("/public/b"))).contains(Json.of(2));
      assertThat(s.get(PrivatePaths.SCHEMA_VERSION)).contains(3);
    }
    try (var db = Database.open(dir, mapper, migrations)) {
      assertThat(db.sequence()).as("nothing left to migrate").isEqualTo(2);
    }
  }

  @Test
  void aFailingStepLeavesTheOldSchema() {
    writeSchema(1);
    var broken =
        new Migrations(
            2,
            List.of(
                new Migrations.Step(
                    1,
                    "fails",
                    tx -> {
                      tx.put(JsonPointer.parse("/public/half"), Json.of(true));
                      throw new IllegalStateException("step failed");
                    })));
    assertThatThrownBy(() -> Database.open(dir, mapper, broken))
        .hasMessageContaining("step failed");
    try (var db = Database.open(dir, mapper, new Migrations(1, List.of()))) {
      assertThat(db.snapshot().get(JsonPointer.parse("/public/half"))).isEmpty();
      assertThat(db.snapshot().get(PrivatePaths.SCHEMA_VERSION)).contains(1);
    }
  }

  @Test
  void schemaOneGivesEachPackageAnIdSlotAndItsArchiveNameWhereClientsCannotWrite() {
    try (var db = PatchDb.open(dir)) {
      db.mutate(tx -> {
        tx.put(
            JsonPointer.ROOT,
            Json.parse(
                """
                {"public": {"packageData": {
                   "zeta": {"s9pk": "/d/package-data/archive/installed/abc234.s9pk",
                            "developerKey": "KEY",
                            "stateInfo": {"state": "installed"}},
                   "alpha": {"s9pk": "/d/package-data/archive/installed/xyz777x.s9pk",
                             "stateInfo": {"state": "updating",
                                           "s9pk": "/d/package-data/archive/installed/new222.s9pk"}},
                   "forged": {"s9pk": "/etc/passwd", "stateInfo": {"state": "installed"}}}},
                 "private": {"schemaVersion": 1}}
                """));
      });
    }
    try (var db = Database.open(dir, mapper, Migrations.standard())) {
      var hosts = db.snapshot().get(PrivatePaths.PACKAGES).orElseThrow();
      assertThat(hosts)
          .containsEntry("alpha", new PackageHost(0, "xyz777x", "new222", null))
          .containsEntry("forged", new PackageHost(1, null, null, null))
          .containsEntry("zeta", new PackageHost(2, "abc234", null, "KEY"));
      assertThat(db.snapshot().get(PrivatePaths.SCHEMA_VERSION)).contains(Migrations.CURRENT);
    }
  }

  @Test
  void aDatabaseFromANewerReleaseIsRefused() {
    writeSchema(Migrations.CURRENT + 1);
    assertThatThrownBy(() -> Database.open(dir, mapper, Migrations.standard()))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
        .hasMessageContaining("newer than this Hearth understands");
  }

  @Test
  void aMissingStepIsAProgrammingErrorCaughtAtOnce() {
    assertThatThrownBy(() -> new Migrations(3, List.of()))
        .hasMessageContaining("no migration from schema version 1");
  }
}
