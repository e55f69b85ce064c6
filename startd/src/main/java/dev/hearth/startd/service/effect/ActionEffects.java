package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.service.Tasks;
import dev.hearth.startd.service.model.ActionMetadata;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.Task;
import dev.hearth.startd.service.model.TaskEntry;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The action and task effects (container-runtime.md §2.7, §2.8): exporting actions, running those
 * of self or (with access) of other packages, and the tasks self asks of the user.
 */
final class ActionEffects {
  private final EffectHost host;
  private final CallingService self;
  private final PackageId id;

  ActionEffects(EffectHost host, CallingService self) {
    this.host = host;
    this.self = self;
    this.id = self.packageId();
  }

  void bind(RpcTree.Builder tree) {
    tree.bind(Effects.ACTION_EXPORT, (ctx, p) -> exportAction(p));
    tree.bind(Effects.ACTION_CLEAR, (ctx, p) -> clearActions(p));
    tree.bind(Effects.ACTION_GET_INPUT, (ctx, p) -> getInput(p));
    tree.bind(Effects.ACTION_RUN, (ctx, p) -> run(p));
    tree.bind(Effects.ACTION_CREATE_TASK, (ctx, p) -> createTask(p));
    tree.bind(Effects.ACTION_CLEAR_TASKS, (ctx, p) -> clearTasks(p));
  }

  private @Nullable Void exportAction(ActionParams.Export p) {
    host.mutateAs(
        id,
        tx ->
            tx.update(
                PackagePaths.actions(id),
                actions -> {
                  var next = new LinkedHashMap<>(actions);
                  next.put(p.id(), p.metadata());
                  return next;
                }));
    return null;
  }

  private @Nullable Void clearActions(ActionParams.Clear p) {
    host.mutateAs(
        id,
        tx ->
            tx.update(
                PackagePaths.actions(id),
                actions -> {
                  var next = new LinkedHashMap<>(actions);
                  next.keySet().retainAll(p.except());
                  return next;
                }));
    return null;
  }

  private JsonNode getInput(ActionParams.GetInput p) throws InterruptedException {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    if (!target.equals(id)) {
      checkAccess(target, p.actionId());
    }
    return host.getActionInput(target, p.actionId(), p.prefill());
  }

  private JsonNode run(ActionParams.Run p) throws InterruptedException {
    PackageId target = p.packageId() == null ? id : PackageId.of(p.packageId());
    if (!target.equals(id)) {
      checkAccess(target, p.actionId());
    }
    return host.runAction(target, p.actionId(), p.input());
  }

  /**
   * Another package's action: {@code public} for anyone, {@code dependent} for packages whose
   * manifest declares the target as a dependency. Not by {@code currentDependencies}: a package
   * writes those itself ({@code set-dependencies}), so they prove nothing (issue 10).
   */
  private void checkAccess(PackageId target, String actionId) {
    ActionMetadata meta =
        host.read(PackagePaths.actions(target))
            .map(m -> m.get(actionId))
            .orElseThrow(() ->
                new StartException(ErrorKind.NOT_FOUND, "no action " + actionId + " in " + target));
    boolean allowed =
        switch (meta.effectiveAccess()) {
          case PUBLIC -> true;
          case DEPENDENT -> self.manifest().dependencies().containsKey(target.value());
          case USER -> false;
        };
    if (!allowed) {
      throw new StartException(
          ErrorKind.AUTHORIZATION, id + " may not run " + target + "'s action " + actionId);
    }
  }

  /**
   * Stores the task, active as §2.8 says. The action's current input is read first, outside any
   * transaction (it calls into the target's runtime, which may call back here); the single write
   * then decides against the task as it is at that moment, so a concurrent change is never lost.
   */
  private @Nullable Void createTask(ActionParams.CreateTask p) throws InterruptedException {
    Task task = p.task();
    Optional<JsonNode> value = Optional.empty();
    if (task.when() != null) {
      value = host.currentInput(PackageId.of(task.packageId()), task.actionId());
      if (value.isPresent() && Tasks.matchesAny(task.accept(), value.get()) && task.when().once()) {
        return null; // already done: a once-task is not stored at all
      }
    }
    boolean known = value.isPresent();
    boolean matches = known && Tasks.matchesAny(task.accept(), value.get());
    TaskEntry stored =
        host.mutateAs(
            id,
            tx ->
                tx.update(
                        PackagePaths.tasks(id),
                        tasks -> {
                          var next = new LinkedHashMap<>(tasks);
                          TaskEntry previous = tasks.get(p.replayId());
                          boolean active =
                              task.when() == null
                                  || (known ? !matches : previous == null || previous.active());
                          next.put(p.replayId(), new TaskEntry(task, active));
                          return next;
                        })
                    .get(p.replayId()));
    if (stored.active() && stored.critical()) {
      stopQuietly();
    }
    return null;
  }

  private void stopQuietly() {
    try {
      host.control(id, EffectHost.Control.STOP);
    } catch (StartException e) {
      // Not installed any more: nothing to stop.
    }
  }

  private @Nullable Void clearTasks(ActionParams.ClearTasks p) {
    host.mutateAs(
        id,
        tx ->
            tx.update(
                PackagePaths.tasks(id),
                tasks -> {
                  var next = new LinkedHashMap<>(tasks);
                  next.keySet().removeIf(p::removes);
                  return next;
                }));
    return null;
  }
}
