package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.container.FileTrees;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uninstall transition (lifecycle.md §2.2, container-runtime.md §5.8), run by the package's
 * actor: marked removing, its runtime uninits toward no version, its container goes, then its
 * entry, file and (unless the data is kept) its data and logs.
 */
final class Uninstaller {
  private static final Logger log = LoggerFactory.getLogger(Uninstaller.class);

  /**
   * @param keepData a soft uninstall: the data stays for a later install
   * @param force clean up even if the service cannot uninit
   */
  record Mode(boolean keepData, boolean force) {}

  private final ServiceContext ctx;
  private final ServiceActor actor;
  private final PackageId id;

  Uninstaller(ServiceContext ctx, ServiceActor actor) {
    this.ctx = ctx;
    this.actor = actor;
    this.id = actor.id;
  }

  /**
   * Removes the package; {@code forget} runs once its runtime is gone, before its files go.
   *
   * @throws StartException if it is not installed, or (without force) will not uninit: then it is
   *     installed and loaded again as it was
   */
  void run(Transition.Uninstall u, Runnable forget) throws InterruptedException {
    try {
      uninstall(u, forget);
    } catch (RuntimeException | InterruptedException e) {
      // The CLI hears a refusal; a failure after the uninstall was accepted only reaches a person
      // this way (and as the status's error).
      Installation.notify(ctx, id, "Uninstall failed", e);
      throw e;
    }
  }

  private void uninstall(Transition.Uninstall u, Runnable forget) throws InterruptedException {
    if (!u.mode().force()) {
      // Its uninit must run, so it must load: if it cannot, say why now, before accepting.
      try {
        actor.requireLoaded("uninit");
      } catch (StartException e) {
        throw new StartException(
            ErrorKind.UNINITIALIZED,
            e.getMessage() + "; uninstall it with force to remove it without its uninit",
            e);
      }
    }
    boolean marked =
        ctx.db()
            .transact(tx -> {
              if (!(tx.get(PackagePaths.state(id)).orElse(null)
                  instanceof PackageState.Installed installed)) {
                return false;
              }
              tx.put(PackagePaths.state(id), new PackageState.Removing(installed.manifest()));
              return true;
            })
            .value();
    if (!marked) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " is not installed (or is busy)");
    }
    u.accepted().complete(null);
    ctx.hooks().reached(Checkpoint.UNINSTALL_BEGUN);
    ServiceInstance loaded = actor.detach();
    try {
      if (loaded != null && loaded.isInitialized()) {
        loaded.exit(null);
      } else if (!u.mode().force()) {
        throw new StartException(
            ErrorKind.UNINITIALIZED, id + " never initialised; uninstall with force");
      }
    } catch (RuntimeException | InterruptedException e) {
      if (!u.mode().force()) {
        log.warn("uninstalling {} failed: {}", id, e.getMessage());
        if (loaded != null) {
          loaded.close();
        }
        undo(e);
        throw e;
      }
    }
    if (loaded != null) {
      loaded.close();
    }
    ctx.hooks().reached(Checkpoint.UNINSTALL_EXITED);
    forget.run();
    finish(ctx, id, u.mode().keepData());
  }

  /** Back to installed, with why the uninstall failed, and loaded again. */
  private void undo(Exception why) throws InterruptedException {
    ctx.db()
        .mutate(tx ->
            tx.get(PackagePaths.state(id))
                .filter(s -> s instanceof PackageState.Removing)
                .ifPresent(s ->
                    tx.put(
                        PackagePaths.state(id),
                        new PackageState.Installed(((PackageState.Removing) s).manifest()))));
    actor.recordError(
        why instanceof InterruptedException ? "interrupted" : why.getMessage(),
        why.getClass().getSimpleName(),
        List.of());
    try {
      var archive =
          ctx.archives()
              .installed(id, ctx.db().snapshot().get(PackagePaths.host(id)).orElse(null))
              .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " has no archive"));
      actor.loadAndInit(archive, ServiceInstance.InitKind.LOAD);
    } catch (RuntimeException e) {
      actor.recordLoadFailure(e);
    }
  }

  /** Everything after uninit; also finishes an uninstall a crash interrupted. */
  static void finish(ServiceContext ctx, PackageId id, boolean keepData) {
    ctx.archives().deleteAllBut(id, null);
    // Files first: once the package leaves the model it may be installed again, and a deletion
    // still running would take the new install's volumes; and gone from the list means gone.
    if (!keepData) {
      FileTrees.delete(ctx.dirs().packageVolumes(id));
      FileTrees.delete(ctx.dirs().logs(id));
    }
    ctx.db()
        .mutate(
            tx -> IdRanges.forget(tx, id, keepData ? IdRanges.Data.KEPT : IdRanges.Data.DELETED));
    log.info("uninstalled {}{}", id, keepData ? " (data kept)" : "");
  }
}
