package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.NotificationApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.model.Health;
import dev.hearth.startd.service.model.PackageId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The effects one package's runtime may call (container-runtime.md §2.7), bound to that package:
 * "self" is always the package whose socket the call came in on. Actions, tasks, run state,
 * dependencies, health, data version, notifications and subcontainers are here; networking is in
 * {@link NetworkEffects}.
 */
final class ServiceEffects {
  private static final String[] HEALTH = {
    "success", "disabled", "starting", "waiting", "loading", "failure"
  };

  private final Services services;
  private final LoadedService self;
  private final String id;
  private final PackageId pid;

  ServiceEffects(Services services, LoadedService self) {
    this.services = services;
    this.self = self;
    this.id = self.packageId;
    this.pid = PackageId.of(id);
  }

  /** A handler of one effect: params in, JSON result out. */
  @FunctionalInterface
  interface Effect {
    @Nullable Object handle(Params p) throws Exception;
  }

  static void bind(
      RpcTree.Builder tree,
      com.fasterxml.jackson.databind.ObjectMapper mapper,
      String name,
      Effect effect) {
    MethodSpec<ObjectNode, JsonNode> spec =
        MethodSpec.of(name, ObjectNode.class, JsonNode.class, "effect " + name);
    tree.bind(
        spec,
        (ctx, params) -> {
          Object result = effect.handle(new Params(params, name));
          if (result == null) {
            return NullNode.instance;
          }
          return result instanceof JsonNode j ? j : mapper.valueToTree(result);
        });
  }

  private void bind(RpcTree.Builder tree, String name, Effect effect) {
    bind(tree, services.ctx.mapper(), name, effect);
  }

  void bind(RpcTree.Builder tree) {
    // actions and tasks
    bind(tree, "action.export", this::exportAction);
    bind(tree, "action.clear", this::clearActions);
    bind(tree, "action.get-input", this::getInput);
    bind(tree, "action.run", this::runAction);
    bind(tree, "action.create-task", this::createTask);
    bind(tree, "action.clear-tasks", this::clearTasks);
    // control, status, callbacks
    bind(
        tree,
        "restart",
        p -> {
          services.restartLater(pid);
          return null;
        });
    bind(
        tree,
        "shutdown",
        p -> {
          services.stopLater(pid);
          return null;
        });
    bind(tree, "get-status", this::getStatus);
    bind(tree, "set-main-status", this::setMainStatus);
    bind(tree, "clear-callbacks", this::clearCallbacks);
    bind(
        tree,
        "rebuild",
        p -> {
          services.rebuild(pid);
          return null;
        });
    bind(tree, "echo", p -> p.string("message"));
    bind(tree, "git-info", p -> null);
    // dependencies and other packages
    bind(tree, "set-dependencies", this::setDependencies);
    bind(tree, "get-dependencies", this::getDependencies);
    bind(tree, "check-dependencies", this::checkDependencies);
    bind(tree, "mount", this::mount);
    bind(tree, "get-installed-packages", p -> services.installedIds());
    bind(tree, "get-service-manifest", this::getManifest);
    // progress, health, notifications, data version
    bind(tree, "set-init-progress", this::setInitProgress);
    bind(tree, "set-backup-progress", p -> null); // backups are not there yet
    bind(tree, "set-health", this::setHealth);
    bind(tree, "notification.create", this::createNotification);
    bind(
        tree,
        "set-data-version",
        p -> {
          DataVersion.write(services.ctx.dirs().dataVersionFile(pid), p.optString("version"));
          return null;
        });
    bind(
        tree,
        "get-data-version",
        p -> DataVersion.read(services.ctx.dirs().dataVersionFile(pid)).orElse(null));
    // subcontainers
    bind(tree, "subcontainer.create-fs", this::createFs);
    bind(
        tree,
        "subcontainer.destroy-fs",
        p -> {
          String guid = p.id("guid");
          self.sandbox.destroySubcontainer(guid);
          self.subcontainers.remove(guid);
          return null;
        });
    new NetworkEffects(services, self).bind(tree);
  }

  // ---- actions and tasks ---------------------------------------------------------------------

  private @Nullable Object exportAction(Params p) {
    String actionId = p.id("id");
    JsonNode meta = p.object("metadata");
    Params m = new Params(meta, "action.export metadata");
    m.string("name");
    m.oneOf("allowedStatuses", "only-running", "only-stopped", "any");
    m.bool("hasInput", false);
    services.mutateAs(
        pid,
        tx -> {
          Map<String, JsonNode> actions =
              new LinkedHashMap<>(tx.get(PackagePaths.actions(id)).orElse(Map.of()));
          actions.put(actionId, meta);
          tx.put(PackagePaths.actions(id), actions);
        });
    return null;
  }

  private @Nullable Object clearActions(Params p) {
    List<String> keep = p.strings("except");
    services.mutateAs(
        pid,
        tx -> {
          Map<String, JsonNode> actions =
              new LinkedHashMap<>(tx.get(PackagePaths.actions(id)).orElse(Map.of()));
          if (actions.keySet().removeIf(a -> !keep.contains(a))) {
            tx.put(PackagePaths.actions(id), actions);
          }
        });
    return null;
  }

  private Object getInput(Params p) throws InterruptedException {
    String target = p.packageId("packageId", id);
    String actionId = p.id("actionId");
    if (!target.equals(id)) {
      checkAccess(target, actionId);
    }
    JsonNode prefill = p.has("prefill") ? p.raw().get("prefill") : null;
    return services.getActionInput(PackageId.of(target), actionId, prefill, null);
  }

  private Object runAction(Params p) throws InterruptedException {
    String target = p.packageId("packageId", id);
    String actionId = p.id("actionId");
    if (!target.equals(id)) {
      checkAccess(target, actionId);
    }
    return services.runAction(PackageId.of(target), actionId, null, p.raw().get("input"));
  }

  /**
   * Another package's action: {@code public} for anyone, {@code dependent} for packages whose
   * manifest declares the target as a dependency. Not by {@code currentDependencies}: a package
   * writes those itself ({@code set-dependencies}), so they prove nothing (issue 10).
   */
  private void checkAccess(String target, String actionId) {
    JsonNode meta = services.actions.metadata(PackageId.of(target), actionId);
    String access = meta.path("access").asText("user");
    boolean allowed =
        switch (access) {
          case "public" -> true;
          case "dependent" -> declaresDependency(target);
          default -> false;
        };
    if (!allowed) {
      throw new StartException(
          ErrorKind.AUTHORIZATION, id + " may not run " + target + "'s action " + actionId);
    }
  }

  private @Nullable Object createTask(Params p) throws InterruptedException {
    String replayId = p.string("replayId");
    if (replayId.length() > 256) {
      throw p.bad("replayId is too long");
    }
    String target = DataDirs.checkId(p.string("packageId"));
    String actionId = p.id("actionId");
    String severity = p.oneOf("severity", "critical", "important", "optional");
    ObjectNode task = services.ctx.mapper().createObjectNode();
    task.put("packageId", target);
    task.put("actionId", actionId);
    task.put("severity", severity);
    if (p.has("reason")) {
      task.put("reason", p.string("reason"));
    }
    JsonNode when = p.raw().get("when");
    if (when != null && !when.isNull()) {
      Params w = new Params(when, "action.create-task when");
      w.oneOf("condition", "input-not-matches");
      ObjectNode copy = task.putObject("when");
      copy.put("once", w.bool("once", false));
      copy.put("condition", "input-not-matches");
    }
    JsonNode input = p.raw().get("input");
    if (input != null && !input.isNull()) {
      ObjectNode normal = task.putObject("input");
      normal.put("kind", "partial");
      normal.set("accept", Tasks.accept(task.deepCopy().set("input", input)));
      normal.set("set", input.has("set") ? input.get("set") : input.path("value"));
    }
    TaskEntry previous =
        services.ctx.db().snapshot().get(PackagePaths.tasks(id)).orElse(Map.of()).get(replayId);
    boolean active = true;
    if (task.has("when")) {
      Optional<JsonNode> value = services.actions.currentInput(PackageId.of(target), actionId);
      if (value.isEmpty()) {
        active = previous == null || previous.active();
      } else if (Tasks.matchesAny(Tasks.accept(task), value.get())) {
        if (task.path("when").path("once").asBoolean()) {
          return null; // already done: a once-task is not stored at all
        }
        active = false;
      }
    }
    TaskEntry entry = new TaskEntry(task, active);
    services.mutateAs(
        pid,
        tx -> {
          Map<String, TaskEntry> tasks =
              new LinkedHashMap<>(tx.get(PackagePaths.tasks(id)).orElse(Map.of()));
          tasks.put(replayId, entry);
          tx.put(PackagePaths.tasks(id), tasks);
        });
    if (entry.active() && entry.critical()) {
      services.stopLater(pid);
    }
    return null;
  }

  private @Nullable Object clearTasks(Params p) {
    boolean only = p.has("only");
    List<String> ids = p.strings(only ? "only" : "except");
    services.mutateAs(
        pid,
        tx -> {
          Map<String, TaskEntry> tasks =
              new LinkedHashMap<>(tx.get(PackagePaths.tasks(id)).orElse(Map.of()));
          if (tasks.keySet().removeIf(r -> only == ids.contains(r))) {
            tx.put(PackagePaths.tasks(id), tasks);
          }
        });
    return null;
  }

  // ---- status and callbacks ------------------------------------------------------------------

  /**
   * A status; another package's without its error's debug text and last log lines, which are that
   * package's own output and none of the caller's business (issue 10: a log line once carried a
   * host secret from one package to every other).
   */
  private @Nullable Object getStatus(Params p) {
    String target = p.packageId("packageId", id);
    UnaryOperator<JsonNode> view = target.equals(id) ? v -> v : ServiceEffects::withoutOutput;
    watch(
        self,
        services,
        p.callback(),
        dev.hearth.startd.service.model.PackagePaths.status(PackageId.of(target)).pointer(),
        view);
    return services
        .ctx
        .db()
        .snapshot()
        .get(
            DbPath.of(
                dev.hearth.startd.service.model.PackagePaths.status(PackageId.of(target)).pointer(),
                JsonNode.class))
        .map(view)
        .orElse(null);
  }

  private static JsonNode withoutOutput(JsonNode status) {
    if (!status.path("error").isObject()) {
      return status;
    }
    ObjectNode copy = status.deepCopy();
    ((ObjectNode) copy.get("error")).putNull("debug").putNull("info");
    return copy;
  }

  private void watch(@Nullable Long callback, JsonPointer pointer) {
    watch(self, services, callback, pointer, v -> v);
  }

  /**
   * Registers a callback that fires with the new value when the value at {@code pointer} changes.
   */
  static void watch(
      LoadedService self, Services services, @Nullable Long callback, JsonPointer pointer) {
    watch(self, services, callback, pointer, v -> v);
  }

  /** Like {@link #watch}, the value passed through {@code view} first. */
  static void watch(
      LoadedService self,
      Services services,
      @Nullable Long callback,
      JsonPointer pointer,
      UnaryOperator<JsonNode> view) {
    if (callback != null) {
      self.callbacks.onChange(
          callback,
          services.ctx.db().watch(pointer),
          json ->
              view.apply(
                  services
                      .ctx
                      .db()
                      .codec()
                      .fromJson(
                          json,
                          com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                              .constructType(JsonNode.class))));
    }
  }

  private @Nullable Object setMainStatus(Params p) {
    String status = p.oneOf("status", "running", "stopped");
    services.reportMain(pid, status.equals("running"));
    return null;
  }

  private @Nullable Object clearCallbacks(Params p) {
    if (p.has("only")) {
      self.callbacks.clearOnly(p.longs("only"));
    } else {
      self.callbacks.clearExcept(p.longs("except"));
    }
    return null;
  }

  // ---- dependencies --------------------------------------------------------------------------

  private @Nullable Object setDependencies(Params p) {
    JsonNode deps = p.raw().get("dependencies");
    if (deps == null || !deps.isArray()) {
      throw p.bad("dependencies must be a list");
    }
    Map<String, JsonNode> current = new LinkedHashMap<>();
    JsonNode declared = services.ctx.mapper().valueToTree(self.pkg.manifest().dependencies());
    for (JsonNode d : deps) {
      Params dp = new Params(d, "set-dependencies");
      String depId = DataDirs.checkId(dp.string("id"));
      String kind = dp.oneOf("kind", "running", "exists");
      ObjectNode entry = services.ctx.mapper().createObjectNode();
      JsonNode installed = services.rawEntries().get(depId);
      JsonNode manifest = installed == null ? null : installed.path("stateInfo").path("manifest");
      String title =
          manifest != null && manifest.hasNonNull("title")
              ? manifest.get("title").asText()
              : declared.path(depId).path("metadata").path("title").asText(depId);
      entry.put("title", title);
      entry.put("icon", installed == null ? "" : installed.path("icon").asText(""));
      entry.put("versionRange", dp.string("versionRange"));
      entry.put("kind", kind);
      if (kind.equals("running")) {
        ArrayNode checks = entry.putArray("healthChecks");
        dp.strings("healthChecks").forEach(checks::add);
      }
      current.put(depId, entry);
    }
    services.mutateAs(pid, tx -> tx.put(PackagePaths.currentDependencies(id), current));
    return null;
  }

  private Object getDependencies(Params p) {
    List<JsonNode> out = new ArrayList<>();
    services
        .ctx
        .db()
        .snapshot()
        .get(PackagePaths.currentDependencies(id))
        .orElse(Map.of())
        .forEach((depId, d) -> {
          ObjectNode r = services.ctx.mapper().createObjectNode();
          r.put("kind", d.path("kind").asText());
          r.put("id", depId);
          r.set("versionRange", d.path("versionRange"));
          if (d.has("healthChecks")) {
            r.set("healthChecks", d.get("healthChecks"));
          }
          out.add(r);
        });
    return out;
  }

  private Object checkDependencies(Params p) {
    Map<String, JsonNode> deps =
        services.ctx.db().snapshot().get(PackagePaths.currentDependencies(id)).orElse(Map.of());
    List<String> ids = p.has("packageIds") ? p.strings("packageIds") : List.copyOf(deps.keySet());
    List<JsonNode> out = new ArrayList<>();
    for (String depId : ids) {
      DataDirs.checkId(depId);
      JsonNode installed = services.rawEntries().get(depId);
      ObjectNode r = services.ctx.mapper().createObjectNode();
      r.put("packageId", depId);
      JsonNode manifest = installed == null ? null : installed.path("stateInfo").path("manifest");
      if (manifest == null || manifest.isMissingNode()) {
        r.putNull("title");
        r.putNull("installedVersion");
        r.putArray("satisfies");
        r.put("isRunning", false);
        r.putObject("tasks");
        r.putObject("healthChecks");
      } else {
        r.put("title", manifest.path("title").asText());
        r.put("installedVersion", manifest.path("version").asText());
        r.set(
            "satisfies",
            manifest.has("satisfies")
                ? manifest.get("satisfies")
                : services.ctx.mapper().createArrayNode());
        JsonNode status = installed.path("statusInfo");
        r.put("isRunning", status.hasNonNull("started"));
        ObjectNode tasks = r.putObject("tasks");
        installed.path("tasks").fields().forEachRemaining(e -> tasks.set(e.getKey(), e.getValue()));
        ObjectNode health = r.putObject("healthChecks");
        JsonNode wanted =
            deps.getOrDefault(depId, services.ctx.mapper().createObjectNode()).path("healthChecks");
        status
            .path("health")
            .fields()
            .forEachRemaining(e -> {
              if (!wanted.isArray() || contains(wanted, e.getKey())) {
                health.set(e.getKey(), e.getValue());
              }
            });
      }
      out.add(r);
    }
    return out;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this package's manifest, which its signer vouched for, names {@code target}. */
  private boolean declaresDependency(String target) {
    return self.pkg.manifest().dependencies().containsKey(target);
  }

  /**
   * Another package's volume, mounted into this one: only a dependency its manifest declares, only
   * read-only (no package can grant more yet), and it must exist. The files show with the
   * dependency's ids moved onto this container's, as the package's {@code idmap} asks.
   */
  private @Nullable Object mount(Params p) {
    ContainerPath location;
    try {
      location = ContainerPath.of(p.string("location"));
    } catch (IllegalArgumentException e) {
      throw p.bad("location: " + e.getMessage());
    }
    Params t = new Params(p.object("target"), "mount target");
    String target = DataDirs.checkId(t.string("packageId"));
    String volumeId = t.id("volumeId");
    boolean readonly = t.bool("readonly", true);
    String subpath = t.optString("subpath");
    if (!declaresDependency(target)) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          id + " may only mount volumes of the dependencies its manifest declares, not " + target);
    }
    if (!readonly) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          id + " may mount " + target + "'s volume " + volumeId + " only read-only");
    }
    var source = services.ctx.dirs().volume(PackageId.of(target), volumeId);
    if (!java.nio.file.Files.isDirectory(source)) {
      throw new StartException(ErrorKind.NOT_FOUND, target + " has no volume " + volumeId);
    }
    List<int[]> idmap = new ArrayList<>();
    for (JsonNode m : t.raw().path("idmap")) {
      Params mp = new Params(m, "mount idmap");
      int[] entry = {mp.uint("fromId"), mp.uint("toId"), mp.uint("range")};
      if (entry[2] < 1
          || (long) entry[0] + entry[2] > ContainerIds.COUNT
          || (long) entry[1] + entry[2] > ContainerIds.COUNT) {
        throw mp.bad("an idmap entry maps ids within 0.." + (ContainerIds.COUNT - 1));
      }
      idmap.add(entry);
    }
    ContainerIds owner =
        services
            .ctx
            .db()
            .snapshot()
            .get(dev.hearth.startd.service.model.PackagePaths.host(PackageId.of(target)))
            .map(h -> ContainerIds.slot(h.idSlot()))
            .orElseThrow(
                () -> new StartException(ErrorKind.NOT_FOUND, target + " is not installed"));
    self.sandbox.bindInto(
        source,
        subpath == null ? "" : subpath.replaceFirst("^/+", ""),
        location,
        true,
        owner,
        idmap);
    return null;
  }

  private @Nullable Object getManifest(Params p) {
    String target = DataDirs.checkId(p.string("packageId"));
    watch(
        p.callback(),
        dev.hearth.startd.service.model.PackagePaths.state(PackageId.of(target)).pointer());
    JsonNode e = services.rawEntries().get(target);
    if (e == null) {
      return null;
    }
    JsonNode state = e.path("stateInfo");
    return state.has("manifest")
        ? state.get("manifest")
        : state.path("installingInfo").path("newManifest");
  }

  // ---- health, notifications -----------------------------------------------------------------

  private @Nullable Object setHealth(Params p) {
    String checkId = p.id("id");
    String name = p.string("name");
    String result = p.oneOf("result", HEALTH);
    String message = p.optString("message");
    if (message == null && (result.equals("loading") || result.equals("failure"))) {
      throw p.bad("a " + result + " result needs a message");
    }
    services.mutateAs(
        pid,
        tx ->
            tx.get(dev.hearth.startd.service.model.PackagePaths.status(pid))
                .ifPresent(s -> {
                  // Reports that arrive after a stop belong to the old run.
                  if (s.started() != null) {
                    tx.put(
                        dev.hearth.startd.service.model.PackagePaths.status(pid),
                        s.withHealth(
                            checkId,
                            new Health(
                                name,
                                Health.Result.valueOf(result.toUpperCase(java.util.Locale.ROOT)),
                                message)));
                  }
                }));
    return null;
  }

  private @Nullable Object createNotification(Params p) {
    String level = p.oneOf("level", "success", "info", "warning", "error");
    JsonNode data = p.raw().get("data");
    String title = p.string("title");
    String message = p.string("message");
    services.mutateAs(
        pid,
        tx ->
            services
                .ctx
                .notifications()
                .create(
                    tx,
                    id,
                    NotificationApi.Level.valueOf(level),
                    title,
                    message,
                    data == null || data.isNull() ? Notifications.CODE_PLAIN : 2,
                    data == null || data.isNull() ? null : data));
    return null;
  }

  /**
   * While this package is being installed or updated, its progress is the Installing phase's value,
   * for the install's progress socket and the entry's {@code installingInfo}; otherwise ignored
   * (container-runtime.md: set-init-progress).
   */
  private @Nullable Object setInitProgress(Params p) {
    JsonNode value;
    try {
      value = FullProgress.phaseValue(p.raw().path("progress"));
    } catch (IllegalArgumentException e) {
      throw p.bad("progress: " + e.getMessage());
    }
    services.ctx.progress().reported(pid, value);
    return null;
  }

  // ---- subcontainers -------------------------------------------------------------------------

  private Object createFs(Params p) {
    String imageId = p.id("imageId");
    if (!self.pkg.images().containsKey(imageId)) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " has no image " + imageId);
    }
    String name = p.optString("name");
    String guid = LoadedService.guid();
    String path = self.sandbox.createSubcontainer(imageId, guid, self.sandbox.name());
    self.subcontainers.put(guid, new LoadedService.Subcontainer(guid, imageId, name));
    ArrayNode out = services.ctx.mapper().createArrayNode();
    out.add(path);
    out.add(guid);
    return out;
  }
}
