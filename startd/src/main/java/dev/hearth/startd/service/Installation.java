package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.NotificationApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.container.FileTrees;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.model.PackageEntry;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The install transition, run by the package's actor (lifecycle.md §2.1): a first install, or
 * (through {@link Update}) an update or downgrade. The database says at each step what is on disk,
 * so a crash at any {@link Checkpoint} is recovered at boot ({@link Recovery}) to either the
 * installed package or nothing; a failure rolls back at once.
 */
final class Installation {
  private static final Logger log = LoggerFactory.getLogger(Installation.class);

  private final ServiceContext ctx;
  private final ServiceActor actor;
  private final PackageId id;

  Installation(ServiceContext ctx, ServiceActor actor) {
    this.ctx = ctx;
    this.actor = actor;
    this.id = actor.id;
  }

  /**
   * Installs or updates; the upload is deleted whatever happens (it is stored under a new name).
   */
  void run(Transition.Install t) throws InterruptedException {
    VerifiedPackage pkg = t.pkg();
    try {
      var snapshot = ctx.db().snapshot();
      PackageState state = snapshot.get(PackagePaths.state(id)).orElse(null);
      // The signer of what is there, from the private host record (never the public model): an
      // installed package's, or that of the data a soft uninstall kept, which belongs to its
      // signer as much as an installed package does.
      String signer = snapshot.get(PackagePaths.host(id)).map(PackageHost::signer).orElse(null);
      switch (state) {
        case null -> {
          if (signer != null) {
            Signers.check(ctx, id, pkg, SignerKey.parsePem(signer), t.accepted());
          }
          fresh(pkg, t);
        }
        case PackageState.Installed installed -> {
          if (signer == null) {
            throw new StartException(ErrorKind.DATABASE, id + " has no signer on record");
          }
          Signers.check(ctx, id, pkg, SignerKey.parsePem(signer), t.accepted());
          new Update(ctx, actor).run(installed, pkg, t.progress());
        }
        default ->
            throw new StartException(
                ErrorKind.INVALID_REQUEST, id + " is " + state.tag() + "; try again later");
      }
      t.progress().update(t.progress().current().completed());
    } catch (RuntimeException | InterruptedException e) {
      String why = e instanceof InterruptedException ? "cancelled" : String.valueOf(e.getMessage());
      t.progress().fail(why);
      log.warn("installing {} failed: {}", id, why);
      throw e;
    } finally {
      FileTrees.deleteQuietly(pkg.file());
    }
  }

  private void fresh(VerifiedPackage pkg, Transition.Install t) throws InterruptedException {
    // Without data of a soft uninstall, the data is new, and undoing the install deletes it: the
    // marker says so, written before anything that would need undoing.
    boolean hadData = Files.exists(ctx.dirs().packageVolumes(id));
    if (!hadData) {
      FileTrees.touch(ctx.dirs().freshInstallMarker(id));
    }
    JsonNode manifest = ManifestJson.toTree(pkg.manifest());
    boolean inserted =
        ctx.db()
            .transact(tx -> {
              if (tx.get(PackagePaths.state(id)).isPresent()) {
                return false;
              }
              var info = new PackageState.InstallingInfo(manifest, t.progress().current());
              tx.put(
                  PackagePaths.entry(id),
                  PackageEntry.beginning(new PackageState.Installing(info)));
              IdRanges.allocate(tx, id);
              return true;
            })
            .value();
    if (!inserted) {
      throw new StartException(ErrorKind.INVALID_REQUEST, id + " is already installed");
    }
    ctx.hooks().reached(Checkpoint.INSTALL_BEGUN);
    try {
      String stem = ctx.archives().store(id, pkg.sighash(), pkg.file());
      ctx.hooks().reached(Checkpoint.INSTALL_STORED);
      ctx.progress()
          .show(id, t.progress(), InstallProgress.INSTALLING, FullProgress.counted(0, 1L, null));
      // A data version left by a soft uninstall makes this an update of that data.
      boolean hasVersion = DataVersion.read(ctx.dirs().dataVersionFile(id)).isPresent();
      Path stored = ctx.archives().file(id, stem);
      ctx.progress()
          .during(
              id,
              t.progress(),
              () ->
                  actor.loadAndInit(
                      stored,
                      hasVersion
                          ? ServiceInstance.InitKind.UPDATE
                          : ServiceInstance.InitKind.INSTALL));
      ctx.hooks().reached(Checkpoint.INSTALL_INITIALIZED);
      markInstalled(ctx, id, manifest, stem, pkg);
      ctx.hooks().reached(Checkpoint.INSTALL_MARKED);
      FileTrees.deleteQuietly(ctx.dirs().freshInstallMarker(id));
      t.progress()
          .update(t.progress().current().withPhase(InstallProgress.INSTALLING, BooleanNode.TRUE));
    } catch (RuntimeException | InterruptedException e) {
      ServiceInstance failed = actor.detach();
      if (failed != null) {
        failed.close();
      }
      Recovery.forgetInstall(ctx, id);
      notify(ctx, id, "Install failed", e);
      throw e;
    }
  }

  /** The package is in place: state installed, its file, key and icon recorded (§2.1 step 7). */
  static void markInstalled(
      ServiceContext ctx, PackageId id, JsonNode manifest, String stem, VerifiedPackage pkg) {
    ctx.db()
        .mutate(tx -> {
          tx.put(PackagePaths.state(id), new PackageState.Installed(manifest));
          tx.put(PackagePaths.s9pk(id), ctx.archives().file(id, stem).toString());
          tx.update(
              PackagePaths.host(id),
              h -> h.withArchive(stem).withNextArchive(null).withSigner(pkg.signer().pem()));
          tx.put(PackagePaths.icon(id), pkg.icon());
          tx.put(PackagePaths.developerKey(id), pkg.signer().pem());
          tx.put(PackagePaths.registry(id), pkg.registry());
          tx.update(PackagePaths.status(id), s -> s.withError(null));
          Actions.dropTasksOfMissingActions(tx, id);
        });
    if (Actions.hasActiveCriticalTask(ctx.db(), id)) {
      ctx.db().mutate(tx -> tx.update(PackagePaths.status(id), s -> s.stop()));
    }
  }

  static void notify(ServiceContext ctx, PackageId id, String title, Exception e) {
    try {
      ctx.notifications()
          .create(
              id.value(),
              NotificationApi.Level.error,
              title,
              e instanceof InterruptedException ? "cancelled" : String.valueOf(e.getMessage()),
              Notifications.CODE_PLAIN,
              null);
    } catch (RuntimeException ignored) {
      // the failure is logged; a notification is a courtesy
    }
  }
}
