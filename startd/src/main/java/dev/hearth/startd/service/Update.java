package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.FullProgress;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.PackageHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replacing an installed package with another version of it, up or down (container-runtime.md §5.5,
 * lifecycle.md §2.1): the data is snapshotted, the old runtime migrates it to the target the two
 * manifests agree on and exits, the new one inits; if that fails, the snapshot and the old package
 * come back.
 */
final class Update {
  private static final Logger log = LoggerFactory.getLogger(Update.class);

  private Update() {}

  static Path snapshot(Services services, String id) {
    Path volumes = services.dirs.packageVolumes(id);
    return volumes.resolveSibling(volumes.getFileName() + ".install-backup");
  }

  static void run(
      Services services,
      Installer installer,
      String id,
      Manifest next,
      Path file,
      byte[] sighash,
      ProgressTracker progress)
      throws InterruptedException {
    JsonNode entry = services.entry(id);
    Manifest old = ManifestJson.parse(entry.path("stateInfo").path("manifest"));
    String oldStem =
        services
            .db
            .snapshot()
            .get(PackagePaths.host(id))
            .map(PackageHost::archive)
            .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
    Path oldFile = services.archives.file(id, oldStem);
    JsonNode nextJson = ManifestJson.toTree(next);
    String stem = services.archives.store(id, sighash, file);
    Path stored = services.archives.file(id, stem);
    services.db.mutate(tx -> {
      ObjectNode state = tx.codec().mapper().createObjectNode();
      state.put("state", "updating");
      state.set("manifest", ManifestJson.toTree(old));
      state.put("s9pk", stored.toString());
      ObjectNode info = state.putObject("installingInfo");
      info.set("newManifest", nextJson);
      info.set("progress", tx.codec().mapper().valueToTree(progress.current()));
      tx.put(PackagePaths.stateInfo(id), state);
      tx.update(PackagePaths.host(id), h -> h.withNextArchive(stem));
    });
    Path snapshot = snapshot(services, id);
    try {
      copyTree(services.dirs.packageVolumes(id), snapshot);
      Optional<String> dv = DataVersion.read(services.dirs.dataVersionFile(id));
      String target = Installer.exitTarget(old, next, dv).orElse(null);
      installer.showProgress(id, progress, Installer.INSTALLING, FullProgress.counted(0, 1L, null));
      ServiceActor actor = services.actorFor(id);
      LoadedService previous = actor.detach();
      if (previous != null) {
        if (previous.isInitialized()) {
          previous.exit(target);
        }
        previous.close();
      }
      services.changeStatus(id, StatusInfo::stoppedNow);
      PackageFile pkg = PackageFile.read(stored, services.arch);
      boolean hasData = DataVersion.read(services.dirs.dataVersionFile(id)).isPresent();
      installer.initialize(id, pkg, hasData ? "update" : "install", progress);
      installer.markInstalled(id, nextJson, stem, pkg);
      services.archives.deleteAllBut(id, stem);
      Installer.deleteTree(snapshot);
    } catch (RuntimeException | InterruptedException e) {
      log.warn("updating {} failed, rolling back: {}", id, e.getMessage());
      rollBack(services, id, old, oldStem, oldFile);
      installer.notify(id, "Update failed", e);
      throw e;
    }
  }

  /** The old package and its data, as they were before the update began. */
  private static void rollBack(
      Services services, String id, Manifest old, String oldStem, Path oldFile) {
    LoadedService failed = services.actorFor(id).detach();
    if (failed != null) {
      failed.close();
    }
    restoreSnapshot(services, id);
    services.archives.deleteAllBut(id, oldStem);
    services.db.mutate(tx -> {
      ObjectNode state = tx.codec().mapper().createObjectNode();
      state.put("state", "installed");
      state.set("manifest", ManifestJson.toTree(old));
      tx.put(PackagePaths.stateInfo(id), state);
      tx.put(PackagePaths.s9pk(id), oldFile.toString());
      tx.update(PackagePaths.host(id), h -> h.withArchive(oldStem).withNextArchive(null));
    });
    try {
      services.loadAndInit(id, PackageFile.read(oldFile, services.arch), null);
    } catch (RuntimeException e) {
      services.recordError(id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void restoreSnapshot(Services services, String id) {
    Path snapshot = snapshot(services, id);
    if (!Files.isDirectory(snapshot)) {
      return;
    }
    Path volumes = services.dirs.packageVolumes(id);
    Installer.deleteTree(volumes);
    try {
      Files.move(snapshot, volumes);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot restore the data of " + id, e);
    }
  }

  /** At boot, an update the crash interrupted is undone: old package, old data. */
  static void recover(Services services, String id, JsonNode entry) {
    log.warn("{} was being updated when the server stopped; going back to the old version", id);
    String oldStem =
        services.db.snapshot().get(PackagePaths.host(id)).map(PackageHost::archive).orElse(null);
    if (oldStem != null) {
      services.archives.deleteAllBut(id, oldStem); // the new archive; without a name, keep all
    }
    restoreSnapshot(services, id);
    services.db.mutate(tx -> {
      ObjectNode back = tx.codec().mapper().createObjectNode();
      back.put("state", "installed");
      back.set("manifest", entry.path("stateInfo").path("manifest"));
      tx.put(PackagePaths.stateInfo(id), back);
      tx.get(PackagePaths.host(id))
          .ifPresent(h -> tx.put(PackagePaths.host(id), h.withNextArchive(null)));
    });
  }

  /**
   * {@code cp -a --reflink=auto}: a cheap copy where the filesystem allows, a full one otherwise.
   */
  static void copyTree(Path from, Path to) throws InterruptedException {
    Installer.deleteTree(to);
    if (!Files.exists(from)) {
      return;
    }
    try {
      Process p =
          new ProcessBuilder("cp", "-a", "--reflink=auto", from.toString(), to.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new StartException(
            ErrorKind.FILESYSTEM, "cannot snapshot " + from + ": " + out.trim());
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot snapshot " + from, e);
    }
  }
}
