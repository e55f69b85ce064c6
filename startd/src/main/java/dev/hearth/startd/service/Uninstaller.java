package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removing a package (lifecycle.md §2.2, container-runtime.md §5.8): its runtime uninits toward no
 * version, its container goes, then its entry, file, forwards and (unless soft) its data and logs.
 */
final class Uninstaller {
  private static final Logger log = LoggerFactory.getLogger(Uninstaller.class);

  private Uninstaller() {}

  static void uninstall(Services services, String id, boolean soft, boolean force) {
    boolean marked =
        services
            .db
            .transact(tx -> {
              var state = tx.get(PackagePaths.stateInfo(id));
              if (state.isEmpty() || !state.get().path("state").asText().equals("installed")) {
                return false;
              }
              ObjectNode removing = ((ObjectNode) state.get()).deepCopy();
              removing.put("state", "removing");
              tx.put(PackagePaths.stateInfo(id), removing);
              return true;
            })
            .value();
    if (!marked) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " is not installed (or is busy)");
    }
    Thread.ofVirtual().name("uninstall-" + id).start(() -> run(services, id, soft, force));
  }

  private static void run(Services services, String id, boolean soft, boolean force) {
    ServiceActor actor = services.actor(id).orElse(null);
    LoadedService loaded = actor == null ? null : actor.stopActing();
    try {
      if (loaded != null && loaded.isInitialized()) {
        loaded.exit(null);
      } else if (!force) {
        throw new StartException(
            ErrorKind.UNINITIALIZED, id + " never initialised; uninstall with force");
      }
    } catch (RuntimeException | InterruptedException e) {
      if (!force) {
        log.warn("uninstalling {} failed: {}", id, e.getMessage());
        if (loaded != null) {
          loaded.close();
        }
        services.removeActor(id);
        services.db.mutate(tx -> {
          tx.get(PackagePaths.stateInfo(id))
              .ifPresent(s -> {
                ObjectNode back = ((ObjectNode) s).deepCopy();
                back.put("state", "installed");
                tx.put(PackagePaths.stateInfo(id), back);
              });
        });
        services.recordError(
            id,
            e instanceof RuntimeException r
                ? r
                : new StartException(ErrorKind.CANCELLED, "interrupted"));
        services.reloadLater(id);
        return;
      }
    }
    if (loaded != null) {
      loaded.close();
    }
    finish(services, id, soft);
  }

  /** Everything after uninit; also finishes an uninstall a crash interrupted. */
  static void finish(Services services, String id, boolean soft) {
    services.removeActor(id);
    services.archives.deleteAllBut(id, null);
    services.db.mutate(
        tx -> IdRanges.forget(tx, id, soft ? IdRanges.Data.KEPT : IdRanges.Data.DELETED));
    if (!soft) {
      Installer.deleteTree(services.dirs.packageVolumes(id));
      Installer.deleteTree(services.dirs.logs(id));
    }
    log.info("uninstalled {}{}", id, soft ? " (data kept)" : "");
  }
}
