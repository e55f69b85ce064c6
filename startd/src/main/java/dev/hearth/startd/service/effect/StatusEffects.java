package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The effects on self's run state and what it reports (container-runtime.md §2.7): restart,
 * shutdown, status, callbacks, health, init progress and notifications; and the command line's
 * rebuild, echo and git-info (§4.8).
 */
final class StatusEffects {
  private final EffectHost host;
  private final CallingService self;
  private final PackageId id;

  StatusEffects(EffectHost host, CallingService self) {
    this.host = host;
    this.self = self;
    this.id = self.packageId();
  }

  void bind(RpcTree.Builder tree) {
    tree.bind(Effects.RESTART, (ctx, p) -> control(EffectHost.Control.RESTART));
    tree.bind(Effects.SHUTDOWN, (ctx, p) -> control(EffectHost.Control.STOP));
    tree.bind(Effects.GET_STATUS, (ctx, p) -> status(p));
    tree.bind(
        Effects.SET_MAIN_STATUS,
        (ctx, p) ->
            control(
                p.status() == ServiceParams.MainStatus.RUNNING
                    ? EffectHost.Control.MAIN_STARTED
                    : EffectHost.Control.MAIN_STOPPED));
    tree.bind(Effects.CLEAR_CALLBACKS, (ctx, p) -> clearCallbacks(p));
    tree.bind(Effects.SET_HEALTH, (ctx, p) -> setHealth(p));
    tree.bind(Effects.SET_INIT_PROGRESS, (ctx, p) -> setInitProgress(p));
    tree.bind(Effects.SET_BACKUP_PROGRESS, (ctx, p) -> null); // backups are not there yet
    tree.bind(Effects.NOTIFICATION_CREATE, (ctx, p) -> notify(p));
    tree.bind(
        Effects.REBUILD,
        (ctx, p) -> {
          host.rebuild(id);
          return null;
        });
    tree.bind(Effects.ECHO, (ctx, p) -> p.message());
    tree.bind(Effects.GIT_INFO, (ctx, p) -> null);
  }

  private @Nullable Void control(EffectHost.Control change) {
    host.control(id, change);
    return null;
  }

  /**
   * A status; another package's without its error's debug text and last log lines, which are that
   * package's own output and none of the caller's business (issue 10: a log line once carried a
   * host secret from one package to every other).
   */
  private @Nullable JsonNode status(ServiceParams.Target p) {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    UnaryOperator<JsonNode> view = target.equals(id) ? v -> v : StatusEffects::withoutOutput;
    Watches.watch(host, self, p.callback(), PackagePaths.statusJson(target).pointer(), view);
    return host.read(PackagePaths.statusJson(target)).map(view).orElse(null);
  }

  static JsonNode withoutOutput(JsonNode status) {
    if (!status.path("error").isObject()) {
      return status;
    }
    ObjectNode copy = status.deepCopy();
    ((ObjectNode) copy.get("error")).putNull("debug").putNull("info");
    return copy;
  }

  private @Nullable Void clearCallbacks(ServiceParams.ClearCallbacks p) {
    if (p.only() != null) {
      self.callbacks().clearOnly(p.only());
    } else {
      self.callbacks().clearExcept(p.except() == null ? java.util.List.<Long>of() : p.except());
    }
    return null;
  }

  private @Nullable Void setHealth(ServiceParams.SetHealth p) {
    host.recordHealth(id, p.id(), p.health());
    return null;
  }

  /**
   * While this package is being installed or updated, its progress is the Installing phase's value,
   * for the install's progress socket and the entry's {@code installingInfo}; otherwise ignored
   * (container-runtime.md: set-init-progress).
   */
  private @Nullable Void setInitProgress(ServiceParams.SetProgress p) {
    host.showInitProgress(id, p.progress());
    return null;
  }

  private @Nullable Void notify(ServiceParams.CreateNotification p) {
    host.mutateAs(
        id,
        tx -> {
          host.notify(tx, id, p.level(), p.title(), p.message(), p.data());
          return null;
        });
    return null;
  }
}
