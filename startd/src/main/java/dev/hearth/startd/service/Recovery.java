package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.container.FileTrees;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.service.model.PackageEntry;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At boot, before any actor runs: whatever a crash interrupted is brought back to a valid state
 * (lifecycle.md §2.1 failure rules), using only what the database and the files say. An entry still
 * {@code installing} or {@code restoring} goes with its file and new data; one {@code updating}
 * goes back to its old package and data; {@code removing} finishes, keeping the data (whether the
 * user wanted it kept is not on record, and data is the one thing that cannot come back). Partial
 * uploads and leftovers of finished transitions go.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  static void run(ServiceContext ctx) {
    try (var partial = Files.list(ctx.dirs().downloading())) {
      partial.forEach(FileTrees::deleteQuietly);
    } catch (IOException e) {
      log.warn("cannot sweep partial uploads: {}", e.getMessage());
    }
    Map<PackageId, PackageEntry> entries =
        ctx.db().snapshot().get(PackagePaths.ALL).orElse(Map.of());
    entries.forEach((id, entry) -> {
      ctx.archives().adoptLegacy(id, host(ctx, id));
      switch (entry.stateInfo()) {
        case PackageState.Installing s -> {
          log.warn("{} was being installed when the server stopped; removing it", id);
          forgetInstall(ctx, id);
        }
        case PackageState.Restoring s -> {
          log.warn("{} was being restored when the server stopped; removing it", id);
          forgetInstall(ctx, id);
        }
        case PackageState.Updating s -> {
          log.warn("{} was being updated when the server stopped; going back", id);
          undoUpdate(ctx, id, s.manifest());
        }
        case PackageState.Removing s -> Uninstaller.finish(ctx, id, true);
        case PackageState.Installed s -> sweep(ctx, id);
      }
    });
  }

  private static @Nullable PackageHost host(ServiceContext ctx, PackageId id) {
    return ctx.db().snapshot().get(PackagePaths.host(id)).orElse(null);
  }

  /**
   * Undoes an install: its entry and files go, and its data and id range unless a soft uninstall
   * had left data (then the range stays with the data).
   */
  static void forgetInstall(ServiceContext ctx, PackageId id) {
    Path marker = ctx.dirs().freshInstallMarker(id);
    boolean hadData = Files.exists(ctx.dirs().packageVolumes(id)) && !Files.exists(marker);
    ctx.archives().deleteAllBut(id, null);
    ctx.db()
        .mutate(
            tx -> IdRanges.forget(tx, id, hadData ? IdRanges.Data.KEPT : IdRanges.Data.DELETED));
    if (!hadData) {
      FileTrees.delete(ctx.dirs().packageVolumes(id));
      FileTrees.deleteQuietly(marker);
    }
  }

  /** An update undone: the old package and its data, as they were before it began. */
  static void undoUpdate(ServiceContext ctx, PackageId id, JsonNode oldManifest) {
    PackageHost host = host(ctx, id);
    String oldStem = host == null ? null : host.archive();
    if (oldStem != null) {
      ctx.archives().deleteAllBut(id, oldStem); // the new archive; without a name, keep all
    }
    Update.restoreSnapshot(ctx.dirs(), id);
    FileTrees.delete(FileTrees.partialCopy(Update.snapshot(ctx.dirs(), id)));
    ctx.db()
        .mutate(tx -> {
          tx.put(PackagePaths.state(id), new PackageState.Installed(oldManifest));
          if (oldStem != null) {
            tx.put(PackagePaths.s9pk(id), ctx.archives().file(id, oldStem).toString());
          }
          tx.get(PackagePaths.host(id))
              .ifPresent(h -> tx.put(PackagePaths.host(id), h.withNextArchive(null)));
        });
  }

  /** Leftovers of transitions that finished but had not cleaned up when the server stopped. */
  private static void sweep(ServiceContext ctx, PackageId id) {
    PackageHost host = host(ctx, id);
    if (host != null && host.archive() != null) {
      ctx.archives().deleteAllBut(id, host.archive());
    }
    Path snapshot = Update.snapshot(ctx.dirs(), id);
    FileTrees.delete(snapshot);
    FileTrees.delete(FileTrees.partialCopy(snapshot));
    FileTrees.deleteQuietly(ctx.dirs().freshInstallMarker(id));
  }
}
