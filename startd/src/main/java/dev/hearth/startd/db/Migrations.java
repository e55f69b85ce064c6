package dev.hearth.startd.db;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Tx;
import java.util.List;
import java.util.function.Consumer;

/**
 * The schema version of the database and the steps that bring an older database up to it. Each step
 * moves the document from version {@code from} to {@code from + 1}; all pending steps and the new
 * version are committed in one transaction, so a crash leaves either the old or the new schema. A
 * database newer than this program is refused rather than misread.
 */
public final class Migrations {
  /** The schema this program writes. Version 1 is the first release's. */
  public static final int CURRENT = 1;

  /** One step of the schema. */
  public record Step(int from, String description, Consumer<Tx> apply) {}

  private final int current;
  private final List<Step> steps;

  public Migrations(int current, List<Step> steps) {
    this.current = current;
    this.steps = List.copyOf(steps);
    for (int v = 1; v < current; v++) {
      int from = v;
      if (this.steps.stream().noneMatch(s -> s.from() == from)) {
        throw new IllegalArgumentException("no migration from schema version " + from);
      }
    }
  }

  /** The migrations of this release. */
  public static Migrations standard() {
    return new Migrations(CURRENT, List.of());
  }

  public int current() {
    return current;
  }

  /**
   * Brings an initialized database in {@code tx} up to the current version.
   *
   * @return how many steps ran
   * @throws StartException (DATABASE) if the database is newer than this program
   */
  int migrate(Tx tx) {
    Integer found = tx.get(PrivatePaths.SCHEMA_VERSION).orElse(null);
    if (found == null) {
      return 0; // not set up yet: setup writes the current version
    }
    if (found > current) {
      throw new StartException(
          ErrorKind.DATABASE,
          "the database has schema version "
              + found
              + ", newer than this Hearth understands ("
              + current
              + "); install the newer version again");
    }
    int ran = 0;
    for (int v = found; v < current; v++) {
      int from = v;
      Step step = steps.stream().filter(s -> s.from() == from).findFirst().orElseThrow();
      step.apply().accept(tx);
      ran++;
    }
    tx.put(PrivatePaths.SCHEMA_VERSION, current);
    return ran;
  }
}
