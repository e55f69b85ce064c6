package dev.hearth.startd.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Tx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The schema version of the database and the steps that bring an older database up to it. Each step
 * moves the document from version {@code from} to {@code from + 1}; all pending steps and the new
 * version are committed in one transaction, so a crash leaves either the old or the new schema. A
 * database newer than this program is refused rather than misread.
 */
public final class Migrations {
  /**
   * The schema this program writes. Version 1 is the first release's; 2 keeps what the host knows
   * of each package in {@code /private/packages} (issue 10); 3 adds the Marketplace's {@code
   * /public/marketplace} (issue 14).
   */
  public static final int CURRENT = 3;

  private static final Pattern ARCHIVE_STEM = Pattern.compile("[a-z2-7]{1,64}x*");

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
    return new Migrations(
        CURRENT,
        List.of(
            new Step(
                1,
                "each package's id range and archive recorded where clients cannot write",
                Migrations::recordPackageHosts),
            new Step(
                2,
                "the Marketplace's registries and installs",
                tx -> tx.put(PublicPaths.MARKETPLACE, dev.hearth.api.MarketplaceApi.Model.EMPTY))));
  }

  /**
   * 1 → 2: every package gets an id slot of its own (the first, by id, keeps slot 0, where every
   * package's files were; the others' files are moved to their range when they next load), and its
   * archive's name is taken from the file name of the public {@code s9pk} path, the only part of
   * that path still used, checked to be a name we gave.
   */
  private static void recordPackageHosts(Tx tx) {
    Map<String, JsonNode> data = new TreeMap<>(tx.get(PublicPaths.PACKAGE_DATA).orElse(Map.of()));
    Map<String, PackageHost> hosts = new LinkedHashMap<>();
    int slot = 0;
    for (var e : data.entrySet()) {
      JsonNode state = e.getValue().path("stateInfo");
      String next =
          state.path("state").asText().equals("updating")
              ? archiveStem(state.path("s9pk").asText(""))
              : null;
      String signer = e.getValue().path("developerKey").asText("");
      hosts.put(
          e.getKey(),
          new PackageHost(
              slot++,
              archiveStem(e.getValue().path("s9pk").asText("")),
              next,
              signer.isEmpty() ? null : signer));
    }
    tx.put(PrivatePaths.PACKAGES, hosts);
  }

  private static @Nullable String archiveStem(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!name.endsWith(".s9pk")) {
      return null;
    }
    String stem = name.substring(0, name.length() - ".s9pk".length());
    return ARCHIVE_STEM.matcher(stem).matches() ? stem : null;
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
