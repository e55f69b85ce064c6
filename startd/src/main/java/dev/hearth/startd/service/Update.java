package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.FullProgress;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.VersionRange;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.startd.container.FileTrees;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import dev.hearth.startd.service.model.StatusInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replacing an installed package with another version of it, up or down (container-runtime.md §5.5,
 * lifecycle.md §2.1), run by the package's actor: the data is snapshotted, the old runtime migrates
 * it to the target the two manifests agree on and exits, the new one inits; if that fails, the
 * snapshot and the old package come back.
 */
final class Update {
  private static final Logger log = LoggerFactory.getLogger(Update.class);

  private final ServiceContext ctx;
  private final ServiceActor actor;
  private final PackageId id;

  Update(ServiceContext ctx, ServiceActor actor) {
    this.ctx = ctx;
    this.actor = actor;
    this.id = actor.id;
  }

  /** Where the data is kept while an update runs. */
  static Path snapshot(DataDirs dirs, PackageId id) {
    Path volumes = dirs.packageVolumes(id);
    return volumes.resolveSibling(volumes.getFileName() + ".install-backup");
  }

  void run(PackageState.Installed installed, VerifiedPackage pkg, ProgressTracker progress)
      throws InterruptedException {
    Manifest old = ManifestJson.parse(installed.manifest());
    Manifest next = pkg.manifest();
    String oldStem =
        ctx.db()
            .snapshot()
            .get(PackagePaths.host(id))
            .map(PackageHost::archive)
            .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
    JsonNode nextJson = ManifestJson.toTree(next);
    String stem = ctx.archives().store(id, pkg.sighash(), pkg.file());
    Path stored = ctx.archives().file(id, stem);
    ctx.db()
        .mutate(tx -> {
          var info = new PackageState.InstallingInfo(nextJson, progress.current());
          tx.put(
              PackagePaths.state(id),
              new PackageState.Updating(installed.manifest(), stored.toString(), info));
          tx.update(PackagePaths.host(id), h -> h.withNextArchive(stem));
        });
    ctx.hooks().reached(Checkpoint.UPDATE_BEGUN);
    try {
      FileTrees.copy(ctx.dirs().packageVolumes(id), snapshot(ctx.dirs(), id));
      ctx.hooks().reached(Checkpoint.UPDATE_SNAPSHOT_TAKEN);
      Optional<String> dv = DataVersion.read(ctx.dirs().dataVersionFile(id));
      String target = exitTarget(old, next, dv).orElse(null);
      ctx.progress()
          .show(id, progress, InstallProgress.INSTALLING, FullProgress.counted(0, 1L, null));
      ServiceInstance previous = actor.detach();
      if (previous != null) {
        try {
          if (previous.isInitialized()) {
            previous.exit(target); // a failed migration fails the update
          }
        } finally {
          previous.close();
        }
      }
      actor.update(StatusInfo::stoppedNow);
      ctx.hooks().reached(Checkpoint.UPDATE_OLD_EXITED);
      boolean hasData = DataVersion.read(ctx.dirs().dataVersionFile(id)).isPresent();
      ctx.progress()
          .during(
              id,
              progress,
              () ->
                  actor.loadAndInit(
                      stored,
                      hasData
                          ? ServiceInstance.InitKind.UPDATE
                          : ServiceInstance.InitKind.INSTALL));
      ctx.hooks().reached(Checkpoint.UPDATE_INITIALIZED);
      Installation.markInstalled(ctx, id, nextJson, stem, pkg);
      ctx.hooks().reached(Checkpoint.UPDATE_MARKED);
      ctx.archives().deleteAllBut(id, stem);
      FileTrees.delete(snapshot(ctx.dirs(), id));
    } catch (RuntimeException | InterruptedException e) {
      log.warn("updating {} failed, rolling back: {}", id, e.getMessage());
      ServiceInstance failed = actor.detach();
      if (failed != null) {
        failed.close();
      }
      Recovery.undoUpdate(ctx, id, installed.manifest());
      try {
        actor.loadAndInit(ctx.archives().file(id, oldStem), ServiceInstance.InitKind.LOAD);
      } catch (RuntimeException loadFailed) {
        actor.recordLoadFailure(loadFailed);
      } catch (InterruptedException again) {
        Thread.currentThread().interrupt();
      }
      Installation.notify(ctx, id, "Update failed", e);
      throw e;
    }
  }

  /**
   * The version the old runtime's uninit migrates the data toward: the data's own version if the
   * new package can migrate from it, else the new version if the old package can migrate to it,
   * else the range both agree on.
   */
  static Optional<String> exitTarget(Manifest old, Manifest next, Optional<String> dataVersion) {
    if (dataVersion.isEmpty()) {
      return Optional.of(old.version().toString());
    }
    String dv = dataVersion.get();
    try {
      ExtendedVersion v = ExtendedVersion.parse(dv);
      if (v.satisfies(next.canMigrateFrom())) {
        return Optional.of(dv);
      }
    } catch (RuntimeException notAVersion) {
      try {
        if (VersionRange.parse(dv).intersects(next.canMigrateFrom())) {
          return Optional.of(dv);
        }
      } catch (RuntimeException notARange) {
        // fall through to the manifests' ranges
      }
    }
    if (next.version().version().satisfies(old.canMigrateTo())) {
      return Optional.of(next.version().toString());
    }
    return Optional.of(VersionRange.and(old.canMigrateTo(), next.canMigrateFrom()).toString());
  }

  /** Puts the data back as it was before the update, if a snapshot was taken. */
  static void restoreSnapshot(DataDirs dirs, PackageId id) {
    Path snapshot = snapshot(dirs, id);
    if (!Files.isDirectory(snapshot)) {
      return;
    }
    Path volumes = dirs.packageVolumes(id);
    FileTrees.delete(volumes);
    try {
      Files.move(snapshot, volumes);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot restore the data of " + id, e);
    }
  }
}
