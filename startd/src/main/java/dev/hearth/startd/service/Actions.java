package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Tx;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.service.model.ActionMetadata;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.StatusInfo;
import dev.hearth.startd.service.model.TaskEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actions and the tasks that name them (lifecycle.md §3.6, §4; container-runtime.md §2.8): a form
 * fetched from the service, a run checked against its form and the statuses it allows, and the
 * tasks on that action updated after it. A run is admitted by the service's actor and runs beside
 * it ({@link Transition.RunAction}).
 */
final class Actions {
  private static final Logger log = LoggerFactory.getLogger(Actions.class);
  static final Duration GET_INPUT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  /** Forms kept to check a run's input against, by event id (a run follows its form at once). */
  private static final int FORMS_KEPT = 256;

  private final Database db;
  private final ObjectMapper mapper;
  private final Function<PackageId, Optional<ServiceInstance>> instances;
  private final Consumer<PackageId> stopLater;

  /** The form each {@code getInput} returned, by event id. */
  private final Map<String, JsonNode> forms =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
              return size() > FORMS_KEPT;
            }
          });

  /**
   * @param instances each service's instance, whether or not its init has finished
   * @param stopLater tells a service to stop, without waiting (a critical task became active)
   */
  Actions(
      Database db,
      ObjectMapper mapper,
      Function<PackageId, Optional<ServiceInstance>> instances,
      Consumer<PackageId> stopLater) {
    this.db = db;
    this.mapper = mapper;
    this.instances = instances;
    this.stopLater = stopLater;
  }

  ActionMetadata metadata(PackageId packageId, String actionId) {
    return db.snapshot()
        .get(PackagePaths.actions(packageId))
        .map(m -> m.get(actionId))
        .orElseThrow(() ->
            new StartException(ErrorKind.NOT_FOUND, "no action " + actionId + " in " + packageId));
  }

  /** The action's form and current value, or null if it takes no input. */
  JsonNode input(
      PackageId packageId, String actionId, @Nullable JsonNode prefill, @Nullable String eventId)
      throws InterruptedException {
    if (!metadata(packageId, actionId).hasInput()) {
      return NullNode.instance;
    }
    ServiceInstance target =
        instances
            .apply(packageId)
            .orElseThrow(
                () -> new StartException(ErrorKind.UNINITIALIZED, packageId + " is not loaded"));
    ObjectNode input = mapper.createObjectNode();
    input.set("prefill", prefill == null ? NullNode.instance : prefill);
    String event = eventId == null ? LoadedService.guid() : eventId;
    JsonNode result =
        target.execute(event, "/actions/" + actionId + "/getInput", input, GET_INPUT_TIMEOUT);
    if (result.path("spec").isObject()) {
      forms.put(event, result.get("spec"));
    }
    return result;
  }

  /**
   * Admits a run on the actor's thread (its visibility and the statuses it allows, against the
   * status as the actor leaves it), then runs it on a thread of its own: a long action never holds
   * up the actor, and an action may run another.
   */
  void run(ServiceInstance on, Transition.RunAction run) {
    PackageId id = on.id();
    ActionMetadata meta = metadata(id, run.actionId());
    if (meta.visibility() instanceof ActionMetadata.Visibility.Disabled d) {
      throw new StartException(ErrorKind.ACTION, run.actionId() + " is disabled: " + d.reason());
    }
    checkAllowedStatus(id, run.actionId(), meta.allowedStatuses());
    if (!meta.hasInput() && givesInput(run.input())) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, run.actionId() + " takes no input, but was given some");
    }
    Thread.ofVirtual()
        .name("action-" + id + "-" + run.actionId())
        .start(() -> {
          try {
            run.result().complete(execute(on, meta, run));
          } catch (InterruptedException e) {
            run.result()
                .completeExceptionally(new StartException(ErrorKind.CANCELLED, "interrupted"));
          } catch (RuntimeException e) {
            run.result().completeExceptionally(e);
          }
        });
  }

  /** Null, JSON null and {} say nothing; anything else is input. */
  private static boolean givesInput(@Nullable JsonNode input) {
    return input != null && !input.isNull() && !(input.isObject() && input.isEmpty());
  }

  private JsonNode execute(ServiceInstance on, ActionMetadata meta, Transition.RunAction run)
      throws InterruptedException {
    PackageId id = on.id();
    String event = run.eventId();
    if (meta.hasInput()) {
      if (event == null) {
        // A caller that skipped get-input: fetch the form under one id, as the SDK needs (§1.4).
        event = LoadedService.guid();
      }
      JsonNode spec = forms.get(event);
      if (spec == null) {
        input(id, run.actionId(), null, event);
        spec = forms.get(event);
      }
      if (spec != null) {
        // Checked here, so a bad input is refused with every reason before the service runs.
        InputSpecs.check(spec, run.input() == null ? mapper.createObjectNode() : run.input());
      }
    }
    ObjectNode params = mapper.createObjectNode();
    params.set("input", run.input() == null ? NullNode.instance : run.input());
    JsonNode result =
        on.execute(
            event == null ? LoadedService.guid() : event,
            "/actions/" + run.actionId() + "/run",
            params,
            RUN_TIMEOUT);
    afterRun(id, run.actionId(), run.input());
    return ActionResults.upgrade(result, mapper);
  }

  private void checkAllowedStatus(
      PackageId packageId, String actionId, ActionMetadata.AllowedStatuses allowed) {
    StatusInfo s =
        db.snapshot()
            .get(PackagePaths.status(packageId))
            .orElseThrow(
                () -> new StartException(ErrorKind.NOT_FOUND, packageId + " is not installed"));
    boolean ok =
        switch (allowed) {
          case ONLY_RUNNING -> s.isStarted();
          case ONLY_STOPPED -> !s.isStarted();
          case ANY -> true;
        };
    if (!ok) {
      throw new StartException(
          ErrorKind.ACTION,
          actionId
              + " can run only while "
              + packageId
              + " is "
              + (allowed == ActionMetadata.AllowedStatuses.ONLY_RUNNING ? "running" : "stopped"));
    }
  }

  /** After a run: tasks on that action without a condition are done; others follow the input. */
  private void afterRun(PackageId target, String actionId, @Nullable JsonNode input) {
    JsonNode value = input == null ? NullNode.instance : input;
    List<PackageId> stop = new ArrayList<>();
    db.mutate(tx -> {
      stop.clear(); // the transaction may run again
      for (PackageId owner : tx.get(PackagePaths.ALL).orElse(Map.of()).keySet()) {
        var path = PackagePaths.tasks(owner);
        Map<String, TaskEntry> tasks = new LinkedHashMap<>(tx.get(path).orElse(Map.of()));
        boolean changed = false;
        for (var e : List.copyOf(tasks.entrySet())) {
          TaskEntry t = e.getValue();
          if (!t.packageId().equals(target.value()) || !t.actionId().equals(actionId)) {
            continue;
          }
          changed = true;
          if (!t.hasCondition()) {
            tasks.remove(e.getKey());
            continue;
          }
          JsonNode accept = Tasks.accept(t.task());
          if (Tasks.matchesAny(accept, value)) {
            if (t.once()) {
              tasks.remove(e.getKey());
            } else {
              tasks.put(e.getKey(), t.withActive(false));
            }
          } else if (Tasks.conflictsAll(accept, value)) {
            tasks.put(e.getKey(), t.withActive(true));
            if (t.critical()) {
              stop.add(owner);
            }
          }
        }
        if (changed) {
          tx.put(path, tasks);
        }
      }
    });
    stop.forEach(stopLater);
  }

  /**
   * After a service's init: the tasks on its actions are evaluated against the current input of
   * each action (§2.8 re-evaluation); a critical one that became active stops its owner.
   */
  void afterInit(PackageId id) throws InterruptedException {
    Map<PackageId, Map<String, TaskEntry>> all = new LinkedHashMap<>();
    for (PackageId owner : db.snapshot().get(PackagePaths.ALL).orElse(Map.of()).keySet()) {
      all.put(owner, db.snapshot().get(PackagePaths.tasks(owner)).orElse(Map.of()));
    }
    Map<String, Optional<JsonNode>> inputs = new LinkedHashMap<>();
    for (var owner : all.entrySet()) {
      for (var e : owner.getValue().entrySet()) {
        TaskEntry t = e.getValue();
        if (!t.packageId().equals(id.value()) || !t.hasCondition()) {
          continue;
        }
        // Read outside any transaction: it calls into the service.
        Optional<JsonNode> value = inputs.get(t.actionId());
        if (value == null) {
          value = currentInput(id, t.actionId());
          inputs.put(t.actionId(), value);
        }
        value.ifPresent(v -> reevaluate(owner.getKey(), e.getKey(), v));
      }
    }
    if (hasActiveCriticalTask(db, id)) {
      stopLater.accept(id);
    }
  }

  /** Sets a task active or not from {@code value}, re-checked against the task as it is now. */
  private void reevaluate(PackageId owner, String replayId, JsonNode value) {
    var path = PackagePaths.tasks(owner);
    boolean stop =
        db.transact(
                tx -> {
                  Map<String, TaskEntry> tasks = new LinkedHashMap<>(tx.get(path).orElse(Map.of()));
                  TaskEntry t = tasks.get(replayId);
                  if (t == null) {
                    return false;
                  }
                  JsonNode accept = Tasks.accept(t.task());
                  Boolean active =
                      Tasks.matchesAny(accept, value)
                          ? Boolean.FALSE
                          : Tasks.conflictsAll(accept, value) ? Boolean.TRUE : null;
                  if (active == null || active == t.active()) {
                    return false;
                  }
                  tasks.put(replayId, t.withActive(active));
                  tx.put(path, tasks);
                  return active && t.critical();
                })
            .value();
    if (stop) {
      stopLater.accept(owner);
    }
  }

  /** An action's current input value, if it can be read now. */
  Optional<JsonNode> currentInput(PackageId packageId, String actionId)
      throws InterruptedException {
    try {
      JsonNode form = input(packageId, actionId, null, null);
      return form.isNull() ? Optional.empty() : Optional.of(form.path("value"));
    } catch (StartException e) {
      log.debug("input of {}/{} not readable now: {}", packageId, actionId, e.getMessage());
      return Optional.empty();
    }
  }

  /** {@code package.action.clear-task}: a critical task only with force. */
  void clearTask(PackageId packageId, String replayId, boolean force) {
    var path = PackagePaths.tasks(packageId);
    db.transact(tx -> {
      Map<String, TaskEntry> tasks =
          new LinkedHashMap<>(
              tx.get(path)
                  .orElseThrow(() ->
                      new StartException(ErrorKind.NOT_FOUND, packageId + " is not installed")));
      TaskEntry t = tasks.get(replayId);
      if (t == null) {
        throw new StartException(ErrorKind.NOT_FOUND, "no task " + replayId + " in " + packageId);
      }
      if (t.critical() && !force) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST, "a critical task can only be cleared with force");
      }
      tasks.remove(replayId);
      tx.put(path, tasks);
      return null;
    });
  }

  static boolean hasActiveCriticalTask(Database db, PackageId id) {
    return db.snapshot().get(PackagePaths.tasks(id)).orElse(Map.of()).values().stream()
        .anyMatch(t -> t.active() && t.critical());
  }

  /** Tasks of {@code id} on its own actions that no longer exist are dropped (after an install). */
  static void dropTasksOfMissingActions(Tx tx, PackageId id) {
    var actions = tx.get(PackagePaths.actions(id)).orElse(Map.of());
    var path = PackagePaths.tasks(id);
    var tasks = new LinkedHashMap<>(tx.get(path).orElse(Map.of()));
    if (tasks
        .values()
        .removeIf(t -> t.packageId().equals(id.value()) && !actions.containsKey(t.actionId()))) {
      tx.put(path, tasks);
    }
  }
}
