package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.VersionRange;
import dev.hearth.patchdb.DbPath;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.notification.Notifications;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and updates packages from a sideloaded file (lifecycle.md §2.1, rpc.md §3.4). Nothing is
 * unpacked before the file is fully verified (signature, every hash, this machine's arch). The
 * database says at each step what is on disk, so a crash at any point is recovered at boot to
 * either the installed package or nothing ({@link #recoverInterrupted}).
 */
final class Installer {
  private static final Logger log = LoggerFactory.getLogger(Installer.class);
  static final Duration PROGRESS_WINDOW = Duration.ofSeconds(600);
  static final String UPLOADING = "Uploading";
  static final String VALIDATING = "Validating Headers";
  static final String UNPACKING = "Unpacking";
  static final String INSTALLING = "Installing";
  static final String UPDATING = "Updating";

  private final Services services;
  private final Continuations continuations;
  private final Map<String, Thread> running = new ConcurrentHashMap<>();

  Installer(Services services, Continuations continuations) {
    this.services = services;
    this.continuations = continuations;
  }

  /**
   * {@code package.sideload}: an upload continuation and a progress one.
   *
   * @param acceptKey the new signer the user accepts for an update (PEM), or null
   */
  PackageApi.Sideload sideload(@Nullable String session, @Nullable String acceptKey) {
    services.checkCanRun();
    SignerKey accepted = acceptKey == null ? null : acceptedKey(acceptKey);
    var progress =
        new ProgressTracker(FullProgress.of(UPLOADING, VALIDATING, UNPACKING, INSTALLING));
    String upload =
        continuations.upload(
            (body, length) -> receive(body, length, progress, accepted),
            () -> progress.fail("the package file was never uploaded"),
            Continuations.WINDOW,
            session);
    String follow =
        continuations.socket(progress.follower(services.mapper), PROGRESS_WINDOW, session);
    return new PackageApi.Sideload(upload, follow);
  }

  private static SignerKey acceptedKey(String pem) {
    try {
      return SignerKey.parsePem(pem);
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "acceptKeyChange is not an Ed25519 public key in PEM form", e);
    }
  }

  private void receive(
      InputStream body,
      OptionalLong declared,
      ProgressTracker progress,
      @Nullable SignerKey accepted)
      throws IOException {
    Path file = services.dirs.downloading().resolve(LoadedService.guid() + ".s9pk");
    try {
      long got = 0;
      Long total = declared.isPresent() ? declared.getAsLong() : null;
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[256 * 1024];
        int n;
        long lastReport = 0;
        while ((n = body.read(buffer)) > 0) {
          got += n;
          if (total != null && got > total) {
            throw new StartException(ErrorKind.INVALID_REQUEST, "too many bytes");
          }
          out.write(buffer, 0, n);
          if (got - lastReport > (4 << 20)) {
            lastReport = got;
            progress.update(
                progress.current().withPhase(UPLOADING, FullProgress.counted(got, total, "bytes")));
          }
        }
      }
      if (total != null && got < total) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST, "connection closed or timed out before full file received");
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      progress.update(progress.current().withPhase(UPLOADING, BooleanNode.TRUE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      progress.fail(String.valueOf(e.getMessage()));
      throw e;
    }
    // The upload is answered now; the install goes on in the background.
    Thread.ofVirtual().name("install").start(() -> install(file, progress, accepted));
  }

  /**
   * Verifies, stores, and installs or updates. Deletes {@code file} unless it was kept.
   *
   * @param accepted the signer the user accepted for an update signed by a new key, or null
   */
  void install(Path file, ProgressTracker progress, @Nullable SignerKey accepted) {
    Manifest manifest;
    byte[] sighash;
    SignerKey signer;
    try {
      progress.update(progress.current().withPhase(VALIDATING, FullProgress.counted(0, 1L, null)));
      try (S9pk pkg = S9pk.open(file)) {
        pkg.validateAndFilter(Optional.of(services.arch));
        manifest = pkg.manifest();
        progress.update(progress.current().withPhase(VALIDATING, BooleanNode.TRUE));
        progress.update(progress.current().withPhase(UNPACKING, FullProgress.counted(0, 1L, null)));
        pkg.archive().orElseThrow().verifyFiles();
        sighash = pkg.archive().orElseThrow().commitment().rootSighash().bytes();
        signer = pkg.archive().orElseThrow().signer();
      }
      DataDirs.checkId(manifest.id());
      // What the containers would mount is looked at before anything is stored or run.
      services.sandboxes.checkContents(PackageFile.read(file, services.arch));
      progress.update(progress.current().withPhase(UNPACKING, BooleanNode.TRUE));
    } catch (RuntimeException | IOException e) {
      deleteQuietly(file);
      progress.fail(String.valueOf(e.getMessage()));
      log.info("refused a package: {}", e.getMessage());
      return;
    }
    String id = manifest.id();
    if (running.putIfAbsent(id, Thread.currentThread()) != null) {
      deleteQuietly(file);
      progress.fail(id + " is already being installed");
      return;
    }
    try {
      JsonNode existing = services.installedEntries().get(id);
      if (existing == null) {
        // Data a soft uninstall kept belongs to its signer as much as an installed package does.
        String kept =
            services.db.snapshot().get(PackagePaths.host(id)).map(PackageHost::signer).orElse(null);
        if (kept != null) {
          checkSigner(id, manifest, SignerKey.parsePem(kept), signer, accepted);
        }
        freshInstall(id, manifest, file, sighash, progress);
      } else if (existing.path("stateInfo").path("state").asText().equals("installed")) {
        SignerKey installed =
            SignerKey.parsePem(
                PackageFile.read(services.installedFile(id), services.arch).developerKey());
        checkSigner(id, manifest, installed, signer, accepted);
        Update.run(services, this, id, manifest, file, sighash, progress);
      } else {
        throw new StartException(
            ErrorKind.INVALID_REQUEST,
            id + " is " + existing.path("stateInfo").path("state").asText() + "; try again later");
      }
      progress.update(progress.current().completed());
    } catch (RuntimeException | InterruptedException e) {
      deleteQuietly(file);
      String why = e instanceof InterruptedException ? "cancelled" : String.valueOf(e.getMessage());
      progress.fail(why);
      log.warn("installing {} failed: {}", id, why);
    } finally {
      running.remove(id);
    }
  }

  /**
   * An update, or a reinstall over kept data, must be signed by the signer of what is there (for an
   * update read from the installed archive, never from the public model), unless the user accepted
   * exactly this new key: whoever holds another key would otherwise take over the package's data
   * (issue 10). A refusal says both keys in a notification, for the person to decide, and changes
   * nothing.
   */
  private void checkSigner(
      String id,
      Manifest manifest,
      SignerKey installed,
      SignerKey signer,
      @Nullable SignerKey accepted) {
    if (installed.equals(signer) || signer.equals(accepted)) {
      if (!installed.equals(signer)) {
        log.warn("{}: the user accepted a new signer for {}", id, manifest.version());
      }
      return;
    }
    String details =
        "This package is signed by a different key than the installed version of "
            + id
            + ".\nInstalled key:\n"
            + installed.pem()
            + "\nThis package's key:\n"
            + signer.pem()
            + "\nInstall it only if you trust the new signer with this service's data.";
    var data = services.mapper.createObjectNode();
    data.put("packageId", id);
    data.put("version", manifest.version().toString());
    data.put("installedKey", installed.pem());
    data.put("packageKey", signer.pem());
    try {
      services.notifications.create(
          id, NotificationApi.Level.warning, "Update refused: new signer", details, 2, data);
    } catch (RuntimeException e) {
      log.warn("cannot notify about the refused update of {}: {}", id, e.getMessage());
    }
    throw new StartException(
        ErrorKind.INVALID_SIGNATURE,
        id
            + " is signed by another key than the installed version; to accept it: --accept-key-change");
  }

  private void freshInstall(
      String id, Manifest manifest, Path file, byte[] sighash, ProgressTracker progress)
      throws InterruptedException {
    JsonNode manifestJson = ManifestJson.toTree(manifest);
    boolean inserted =
        services
            .db
            .transact(tx -> {
              if (tx.get(PackagePaths.entryNode(id)).isPresent()) {
                return false;
              }
              tx.put(PackagePaths.entryNode(id), newEntry(manifestJson, progress.current()));
              IdRanges.allocate(tx, id);
              return true;
            })
            .value();
    if (!inserted) {
      throw new StartException(ErrorKind.INVALID_REQUEST, id + " is already installed");
    }
    // Data a soft uninstall left behind is kept whatever happens to this install.
    boolean hadData = Files.exists(services.dirs.packageVolumes(id));
    if (!hadData) {
      touch(services.dirs.freshInstallMarker(id));
    }
    try {
      String stem = services.archives.store(id, sighash, file);
      Path stored = services.archives.file(id, stem);
      showProgress(id, progress, INSTALLING, FullProgress.counted(0, 1L, null));
      PackageFile pkg = PackageFile.read(stored, services.arch);
      // A data version left by a soft uninstall makes this an update of that data.
      boolean hasVersion = DataVersion.read(services.dirs.dataVersionFile(id)).isPresent();
      initialize(id, pkg, hasVersion ? "update" : "install", progress);
      markInstalled(id, manifestJson, stem, pkg);
      deleteQuietly(services.dirs.freshInstallMarker(id));
    } catch (RuntimeException | InterruptedException e) {
      cleanupFailedInstall(id, hadData, e);
      throw e;
    }
  }

  /** Creates the container and runs init; meanwhile the package's own progress is shown. */
  void initialize(String id, PackageFile pkg, String kind, ProgressTracker progress)
      throws InterruptedException {
    services.initializing.put(id, progress);
    try {
      services.loadAndInit(id, pkg, kind);
    } finally {
      services.initializing.remove(id, progress);
    }
  }

  /**
   * Sets one phase of an install's progress, for its progress socket and in the entry's {@code
   * installingInfo} (which the UI reads), while the entry is still installing or updating. A value
   * the phase already has changes nothing: a package repeating its progress costs no commit.
   */
  void showProgress(String id, ProgressTracker progress, String phase, JsonNode value) {
    FullProgress now = progress.current();
    if (now.phases().contains(new FullProgress.Phase(phase, value))) {
      return;
    }
    FullProgress next = now.withPhase(phase, value);
    progress.update(next);
    var installing = PackagePaths.entry(id).child("stateInfo").child("installingInfo");
    var saved = DbPath.of(installing.child("progress"), FullProgress.class);
    services.db.mutate(tx -> {
      if (tx.get(DbPath.of(installing, JsonNode.class)).filter(JsonNode::isObject).isPresent()) {
        tx.put(saved, next);
      }
    });
  }

  ObjectNode newEntry(JsonNode manifest, FullProgress progress) {
    var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    ObjectNode e = f.objectNode();
    ObjectNode state = e.putObject("stateInfo");
    state.put("state", "installing");
    ObjectNode info = state.putObject("installingInfo");
    info.set("newManifest", manifest);
    info.set("progress", services.mapper.valueToTree(progress));
    e.putNull("s9pk");
    e.set("statusInfo", services.mapper.valueToTree(StatusInfo.stopped()));
    e.putNull("registry");
    e.put("developerKey", "");
    e.put("icon", "");
    e.putNull("lastBackup");
    e.putObject("currentDependencies");
    e.putObject("actions");
    e.putObject("tasks");
    e.putObject("hosts");
    e.putArray("storeExposedDependents");
    e.putNull("outboundGateway");
    e.putObject("plugin").putNull("url");
    return e;
  }

  /** The package is in place: state installed, its file, key and icon recorded (§2.1 step 7). */
  void markInstalled(String id, JsonNode manifestJson, String stem, PackageFile pkg) {
    services.db.mutate(tx -> {
      ObjectNode state = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      state.put("state", "installed");
      state.set("manifest", manifestJson);
      tx.put(PackagePaths.stateInfo(id), state);
      tx.put(PackagePaths.s9pk(id), services.archives.file(id, stem).toString());
      tx.update(
          PackagePaths.host(id),
          h -> h.withArchive(stem).withNextArchive(null).withSigner(pkg.developerKey()));
      tx.put(PackagePaths.entry(id).child("icon"), tx.codec().toJson(pkg.icon()));
      tx.put(PackagePaths.entry(id).child("developerKey"), tx.codec().toJson(pkg.developerKey()));
      tx.get(PackagePaths.status(id))
          .ifPresent(s -> tx.put(PackagePaths.status(id), s.withError(null)));
      // Tasks on actions that no longer exist are dropped.
      var actions = tx.get(PackagePaths.actions(id)).orElse(Map.of());
      var tasks = new java.util.LinkedHashMap<>(tx.get(PackagePaths.tasks(id)).orElse(Map.of()));
      if (tasks
          .values()
          .removeIf(t -> t.packageId().equals(id) && !actions.containsKey(t.actionId()))) {
        tx.put(PackagePaths.tasks(id), tasks);
      }
    });
    if (services.hasActiveCriticalTask(id)) {
      services.stopQuietly(id);
    }
  }

  private void cleanupFailedInstall(String id, boolean hadData, Exception e) {
    services.removeActor(id);
    forgetInstall(services, id, hadData);
    notify(id, "Install failed", e);
  }

  /**
   * Undoes an install: its entry and files go, and its data and id range unless a soft uninstall
   * had left data (then the range stays with the data).
   */
  private static void forgetInstall(Services services, String id, boolean hadData) {
    services.archives.deleteAllBut(id, null);
    services.db.mutate(
        tx -> IdRanges.forget(tx, id, hadData ? IdRanges.Data.KEPT : IdRanges.Data.DELETED));
    if (!hadData) {
      deleteTree(services.dirs.packageVolumes(id));
      deleteQuietly(services.dirs.freshInstallMarker(id));
    }
  }

  void notify(String id, String title, Exception e) {
    try {
      services.notifications.create(
          id,
          NotificationApi.Level.error,
          title,
          e instanceof InterruptedException ? "cancelled" : String.valueOf(e.getMessage()),
          Notifications.CODE_PLAIN,
          null);
    } catch (RuntimeException ignored) {
      // the failure is logged; a notification is a courtesy
    }
  }

  /** {@code package.cancel-install}: interrupts the install, which then rolls back. */
  void cancel(String id) {
    Thread t = running.get(id);
    if (t == null) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " is not being installed");
    }
    t.interrupt();
  }

  static void touch(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + file, e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // left for the boot sweep
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(Installer::deleteQuietly);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }

  /**
   * After a crash: an entry still {@code installing} is removed with its file and new data; one
   * still {@code updating} goes back to its old package and data; {@code removing} finishes. Files
   * in {@code downloading} are partial uploads and go.
   */
  static void recoverInterrupted(Services services, Map<String, JsonNode> entries) {
    try (var partial = Files.list(services.dirs.downloading())) {
      partial.forEach(Installer::deleteQuietly);
    } catch (IOException e) {
      log.warn("cannot sweep partial uploads: {}", e.getMessage());
    }
    entries.forEach((id, entry) -> {
      String state = entry.path("stateInfo").path("state").asText();
      services.archives.adoptLegacy(
          id, services.db.snapshot().get(PackagePaths.host(id)).orElse(null));
      switch (state) {
        case "installing", "restoring" -> {
          log.warn("{} was being installed when the server stopped; removing it", id);
          forgetInstall(services, id, !Files.exists(services.dirs.freshInstallMarker(id)));
        }
        case "updating" -> Update.recover(services, id, entry);
        case "removing" -> Uninstaller.finish(services, id, false);
        default -> {}
      }
    });
  }

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
}
