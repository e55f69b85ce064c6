package dev.hearth.startd.service;

import dev.hearth.api.PackageApi;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.service.model.PackageEntry;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the database says of the packages, read for {@code package.list} and its kin. */
final class Listing {
  private Listing() {}

  static Map<PackageId, PackageEntry> entries(Database db) {
    return db.snapshot().get(PackagePaths.ALL).orElse(Map.of());
  }

  /** The ids of installed packages (not those installing, updating or being removed), sorted. */
  static List<PackageId> installedIds(Database db) {
    return entries(db).entrySet().stream()
        .filter(e -> e.getValue().stateInfo() instanceof PackageState.Installed)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** One row a package: its version and its state, or {@code error} if it failed to load. */
  static List<PackageApi.Listed> list(Database db) {
    List<PackageApi.Listed> out = new ArrayList<>();
    entries(db)
        .forEach((id, e) -> {
          String status = e.stateInfo().tag();
          if (e.stateInfo() instanceof PackageState.Installed && e.statusInfo().error() != null) {
            status = "error";
          }
          out.add(new PackageApi.Listed(id.value(), e.stateInfo().version(), status));
        });
    out.sort(Comparator.comparing(PackageApi.Listed::id));
    return out;
  }

  static @Nullable String installedVersion(Database db, PackageId id) {
    return db.snapshot().get(PackagePaths.state(id)).orElse(null)
            instanceof PackageState.Installed i
        ? i.version()
        : null;
  }
}
