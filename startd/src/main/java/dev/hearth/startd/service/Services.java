package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.effect.Effects;
import dev.hearth.startd.service.model.ActionMetadata;
import dev.hearth.startd.service.model.TaskEntry;
import dev.hearth.startd.system.LogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service subsystem's facade: every installed service, its actor and its loaded container;
 * install, uninstall, run state, actions and tasks, logs and stats. RPC methods and effects both
 * come through here.
 */
public final class Services implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Services.class);
  static final Duration GET_INPUT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  /** Services loaded at once at boot: each load is mostly waiting on the container and Node. */
  static final int BOOT_CONCURRENCY = 4;

  final Database db;
  final DataDirs dirs;
  final Archives archives;
  final Sandboxes sandboxes;
  final Notifications notifications;
  final ObjectMapper mapper;
  final InstantSource clock;
  final String bootId;
  final String arch;
  private final Map<String, ServiceActor> actors = new ConcurrentHashMap<>();
  private final Map<String, LogStore> logs = new ConcurrentHashMap<>();
  private final @Nullable FileChanges logChanges = fileChanges();
  private final Forwards forwards;

  /** The form each {@code getInput} returned, by event id, to check the run's input against. */
  private final Map<String, JsonNode> forms =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
              return size() > 256;
            }
          });

  final Installer installer;

  /** The progress of installs and updates in their Installing phase, by package id. */
  final Map<String, ProgressTracker> initializing = new ConcurrentHashMap<>();

  final Attach attach;

  Services(
      Database db,
      Path dataDir,
      Sandboxes sandboxes,
      Continuations continuations,
      Notifications notifications,
      ObjectMapper mapper,
      InstantSource clock,
      String bootId,
      String arch,
      java.util.Set<Integer> daemonPorts) {
    this.db = db;
    this.dirs = new DataDirs(dataDir);
    this.archives = new Archives(dirs);
    this.sandboxes = sandboxes;
    this.notifications = notifications;
    this.mapper = mapper;
    this.clock = clock;
    this.bootId = bootId;
    this.arch = arch;
    this.forwards = new Forwards(sandboxes, new HostPorts(daemonPorts));
    this.installer = new Installer(this, continuations);
    this.attach = new Attach(this, continuations, mapper);
    dirs.createDirectories();
  }

  /**
   * The services of this machine: containers made as {@code config} says, or none, with {@code
   * unavailable} saying why, when it cannot make them.
   *
   * @param daemonPorts the ports the daemon serves on, which no package may take
   */
  public static Services open(
      Database db,
      Path dataDir,
      dev.hearth.startd.@Nullable ContainerConfig config,
      String unavailable,
      Continuations continuations,
      Notifications notifications,
      ObjectMapper mapper,
      InstantSource clock,
      String bootId,
      java.util.Set<Integer> daemonPorts) {
    Sandboxes sandboxes;
    if (config == null) {
      sandboxes = new UnavailableSandboxes(unavailable);
    } else {
      try {
        sandboxes = LxcSandboxes.open(config, dataDir);
      } catch (RuntimeException e) {
        // The rest of the server still works; installs and loads say why services cannot.
        log.error("services cannot run: {}", e.getMessage());
        sandboxes = new UnavailableSandboxes("services cannot run: " + e.getMessage());
      }
    }
    return new Services(
        db,
        dataDir,
        sandboxes,
        continuations,
        notifications,
        mapper,
        clock,
        bootId,
        dev.hearth.s9pk.Selection.machineArch(),
        daemonPorts);
  }

  /** Refuses early, before an upload, when no container can be made here. */
  void checkCanRun() {
    if (sandboxes instanceof UnavailableSandboxes u) {
      throw u.failure();
    }
  }

  // ---- loading -------------------------------------------------------------------------------

  /** The watch that wakes every runtime's log tail, or none (each then polls). */
  private static @Nullable FileChanges fileChanges() {
    try {
      return new FileChanges();
    } catch (java.io.IOException e) {
      log.warn("cannot watch files, runtime logs are polled: {}", e.toString());
      return null;
    }
  }

  LogStore logStore(String id) {
    return logs.computeIfAbsent(id, i -> new LogStore(dirs.logs(i), "service.log", bootId, mapper));
  }

  /** Makes the container and connects its runtime; the caller sends {@code init}. */
  LoadedService load(String id, PackageFile pkg) throws InterruptedException {
    ContainerIds ids = db.transact(tx -> IdRanges.allocate(tx, id)).value();
    IdRanges.adopt(dirs.packageVolumes(id), ids);
    List<Sandboxes.Volume> volumes = new ArrayList<>();
    for (String v : pkg.manifest().volumes()) {
      volumes.add(new Sandboxes.Volume(v, ensureVolume(id, v, ids)));
    }
    return LoadedService.load(
        sandboxes,
        new Sandboxes.Spec(id, pkg, volumes, ids),
        logStore(id),
        logChanges,
        mapper,
        loaded -> effectsTree(loaded));
  }

  private RpcTree effectsTree(LoadedService loaded) {
    return Effects.tree(mapper, new ServicesEffectHost(this), new LoadedServiceCaller(loaded));
  }

  Path ensureVolume(String id, String volumeId, ContainerIds ids) {
    Path dir = dirs.volume(id, volumeId);
    try {
      if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
        // Owned by the container's root, so the service can write its own data.
        Files.setAttribute(dir, "unix:uid", ids.root());
        Files.setAttribute(dir, "unix:gid", ids.root());
        Files.setPosixFilePermissions(
            dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create volume " + dir, e);
    }
    return dir;
  }

  /** Loads, inits with {@code kind}, re-checks tasks, and hands the service to its actor. */
  LoadedService loadAndInit(String id, PackageFile pkg, @Nullable String kind)
      throws InterruptedException {
    LoadedService loaded = load(id, pkg);
    try {
      ServiceActor actor = actors.computeIfAbsent(id, this::newActor);
      actor.attachLoading(loaded);
      loaded.init(kind);
      recheckTasksAfterInit(id);
      actor.attach(loaded);
      return loaded;
    } catch (RuntimeException | InterruptedException e) {
      ServiceActor actor = actors.get(id);
      if (actor != null) {
        actor.detachLoading(loaded);
      }
      loaded.close();
      throw e;
    }
  }

  private ServiceActor newActor(String id) {
    return new ServiceActor(id, db, clock, actor -> reload(actor.id));
  }

  private LoadedService reload(String id) throws InterruptedException {
    Path file = installedFile(id);
    PackageFile pkg = PackageFile.read(file, arch);
    LoadedService loaded = load(id, pkg);
    try {
      actors.get(id).attachLoading(loaded);
      loaded.init(null);
      recheckTasksAfterInit(id);
      return loaded;
    } catch (RuntimeException | InterruptedException e) {
      loaded.close();
      throw e;
    }
  }

  /** The installed archive of {@code id}, derived from its host record (never the public model). */
  Path installedFile(String id) {
    return archives
        .installed(id, db.snapshot().get(PackagePaths.host(id)).orElse(null))
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
  }

  /**
   * At boot: every installed service is loaded again (init kind null), a few at a time; an install
   * or update that a crash interrupted is rolled back (§2.1 failure rules).
   */
  public void boot() {
    Map<String, JsonNode> all = installedEntries();
    Installer.recoverInterrupted(this, all);
    var slots = new Semaphore(BOOT_CONCURRENCY);
    List<Thread> threads = new ArrayList<>();
    for (String id : installedIds()) {
      db.mutate(tx ->
          tx.get(PackagePaths.status(id))
              .ifPresent(s -> tx.put(PackagePaths.status(id), s.booted())));
      threads.add(
          Thread.ofVirtual()
              .name("boot-" + id)
              .start(() -> {
                try {
                  slots.acquire();
                  try {
                    loadAndInit(id, PackageFile.read(installedFile(id), arch), null);
                  } finally {
                    slots.release();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  log.warn("could not load {}: {}", id, e.getMessage());
                  recordError(id, e);
                }
              }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void recordError(String id, RuntimeException e) {
    ServiceActor actor = actors.get(id);
    LoadedService l = actor == null ? null : actor.loaded();
    ServiceActor.recordError(
        db,
        id,
        String.valueOf(e.getMessage()),
        e.getClass().getSimpleName(),
        l == null ? List.of() : l.recentOutput());
  }

  Map<String, JsonNode> installedEntries() {
    return db.snapshot().get(dev.hearth.startd.db.PublicPaths.PACKAGE_DATA).orElse(Map.of());
  }

  List<String> installedIds() {
    return installedEntries().entrySet().stream()
        .filter(e -> e.getValue().path("stateInfo").path("state").asText().equals("installed"))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  Optional<ServiceActor> actor(String id) {
    return Optional.ofNullable(actors.get(id));
  }

  ServiceActor actorFor(String id) {
    return actors.computeIfAbsent(id, this::newActor);
  }

  void removeActor(String id) {
    ServiceActor a = actors.remove(id);
    if (a != null) {
      a.close();
    }
    forwards.closeAll(id);
    LogStore store = logs.remove(id);
    if (store != null) {
      store.close();
    }
  }

  Forwards forwards() {
    return forwards;
  }

  LoadedService loaded(String id) {
    return actor(id)
        .map(ServiceActor::requireLoaded)
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
  }

  /** A service's container whether or not init has finished (effects during init). */
  Optional<LoadedService> anyLoaded(String id) {
    return actor(id).flatMap(a -> Optional.ofNullable(a.loadedOrLoading()));
  }

  // ---- state ---------------------------------------------------------------------------------

  JsonNode entry(String id) {
    DataDirs.checkId(id);
    return db.snapshot()
        .get(PackagePaths.entryNode(id))
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
  }

  String state(String id) {
    return entry(id).path("stateInfo").path("state").asText();
  }

  StatusInfo status(String id) {
    return db.snapshot()
        .get(PackagePaths.status(id))
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
  }

  /**
   * One change a package's effect makes, checked against its {@link StorageQuota} in the same
   * transaction: refused whole if it would keep too much.
   */
  void mutateAs(String id, java.util.function.Consumer<dev.hearth.patchdb.Tx> change) {
    db.mutate(tx -> {
      change.accept(tx);
      StorageQuota.check(tx, id);
    });
  }

  void changeStatus(String id, java.util.function.UnaryOperator<StatusInfo> change) {
    boolean found =
        db.transact(
                tx -> {
                  Optional<StatusInfo> s = tx.get(PackagePaths.status(id));
                  s.ifPresent(v -> tx.put(PackagePaths.status(id), change.apply(v)));
                  return s.isPresent();
                })
            .value();
    if (!found) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " is not installed");
    }
  }

  public void start(String id, boolean force) {
    requireInstalled(id);
    if (!force && hasActiveCriticalTask(id)) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          id + " has a critical task to do first (run it, or start with force)");
    }
    changeStatus(id, StatusInfo::start);
  }

  public void stop(String id) {
    requireInstalled(id);
    changeStatus(id, StatusInfo::stop);
  }

  public void restart(String id) {
    requireInstalled(id);
    changeStatus(id, StatusInfo::restart);
  }

  void requireInstalled(String id) {
    String state = state(id);
    if (!state.equals("installed")) {
      throw new StartException(ErrorKind.INVALID_REQUEST, id + " is " + state);
    }
  }

  boolean hasActiveCriticalTask(String id) {
    return db.snapshot().get(PackagePaths.tasks(id)).orElse(Map.of()).values().stream()
        .anyMatch(t -> t.active() && t.critical());
  }

  /** Tears the container down and loads it again (§5.3). */
  public void rebuild(String id) {
    requireInstalled(id);
    ServiceActor actor = actorFor(id);
    Thread.ofVirtual()
        .name("rebuild-" + id)
        .start(() -> {
          try {
            LoadedService old = actor.detach();
            if (old != null) {
              exitQuietly(old, currentVersion(id));
              old.close();
            }
            changeStatus(id, s -> s.stoppedNow().withError(null));
            loadAndInit(id, PackageFile.read(installedFile(id), arch), null);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            log.warn("rebuilding {} failed: {}", id, e.getMessage());
            recordError(id, e);
          }
        });
  }

  /** Loads a service again in the background, recording an error if that fails. */
  void reloadLater(String id) {
    Thread.ofVirtual()
        .name("reload-" + id)
        .start(() -> {
          try {
            loadAndInit(id, PackageFile.read(installedFile(id), arch), null);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            recordError(id, e);
          }
        });
  }

  public void rebuildAll() {
    installedIds().forEach(this::rebuild);
  }

  String currentVersion(String id) {
    return entry(id).path("stateInfo").path("manifest").path("version").asText();
  }

  void exitQuietly(LoadedService service, @Nullable String target) {
    try {
      service.exit(target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("{} did not exit cleanly: {}", service.packageId, e.getMessage());
    }
  }

  public List<PackageApi.Listed> list() {
    List<PackageApi.Listed> out = new ArrayList<>();
    installedEntries()
        .forEach((id, e) -> {
          JsonNode state = e.path("stateInfo");
          String status = state.path("state").asText();
          if (status.equals("installed")
              && !e.path("statusInfo").path("error").isNull()
              && e.path("statusInfo").has("error")) {
            status = "error";
          }
          JsonNode manifest =
              state.has("manifest")
                  ? state.get("manifest")
                  : state.path("installingInfo").path("newManifest");
          out.add(new PackageApi.Listed(id, manifest.path("version").asText(), status));
        });
    out.sort(Comparator.comparing(PackageApi.Listed::id));
    return out;
  }

  public @Nullable String installedVersion(String id) {
    DataDirs.checkId(id);
    JsonNode e = installedEntries().get(id);
    if (e == null || !e.path("stateInfo").has("manifest")) {
      return null;
    }
    return e.path("stateInfo").path("manifest").path("version").asText();
  }

  public Map<String, PackageApi.@Nullable Stats> stats() {
    Map<String, PackageApi.@Nullable Stats> out = new LinkedHashMap<>();
    for (String id : installedIds()) {
      LoadedService l = actor(id).map(ServiceActor::loaded).orElse(null);
      if (l == null || !l.sandbox.isRunning()) {
        out.put(id, null);
        continue;
      }
      long[] m = l.sandbox.memory();
      out.put(id, new PackageApi.Stats(l.sandbox.name(), m[0] / 1048576.0, m[1] / 1048576.0));
    }
    return out;
  }

  // ---- actions and tasks ----------------------------------------------------------------------

  ActionMetadata actionMetadata(String packageId, String actionId) {
    return db.snapshot()
        .get(PackagePaths.actions(packageId))
        .map(m -> m.get(actionId))
        .orElseThrow(() ->
            new StartException(ErrorKind.NOT_FOUND, "no action " + actionId + " in " + packageId));
  }

  /** The action's form and current value, or null if it takes no input. */
  public JsonNode getActionInput(
      String packageId, String actionId, @Nullable JsonNode prefill, @Nullable String eventId)
      throws InterruptedException {
    ActionMetadata meta = actionMetadata(packageId, actionId);
    if (!meta.hasInput()) {
      return NullNode.instance;
    }
    LoadedService target =
        anyLoaded(packageId)
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
   * Runs an action: checks its visibility and the statuses it allows, runs it with the event id of
   * its form, then updates the tasks that name it (§2.8).
   */
  public JsonNode runAction(
      String packageId, String actionId, @Nullable String eventId, @Nullable JsonNode input)
      throws InterruptedException {
    ActionMetadata meta = actionMetadata(packageId, actionId);
    if (meta.visibility() instanceof ActionMetadata.Visibility.Disabled d) {
      throw new StartException(ErrorKind.ACTION, actionId + " is disabled: " + d.reason());
    }
    checkAllowedStatus(packageId, actionId, meta.allowedStatuses());
    LoadedService target = loaded(packageId);
    boolean hasInput = meta.hasInput();
    String event = eventId;
    if (hasInput) {
      if (event == null) {
        // A caller that skipped get-input: fetch the form under one id, as the SDK needs (§1.4).
        event = LoadedService.guid();
      }
      JsonNode spec = forms.get(event);
      if (spec == null) {
        getActionInput(packageId, actionId, null, event);
        spec = forms.get(event);
      }
      if (spec != null) {
        // Checked here, so a bad input is refused with every reason before the service runs.
        InputSpecs.check(spec, input == null ? mapper.createObjectNode() : input);
      }
    }
    ObjectNode params = mapper.createObjectNode();
    params.set("input", input == null ? NullNode.instance : input);
    JsonNode result =
        target.execute(
            event == null ? LoadedService.guid() : event,
            "/actions/" + actionId + "/run",
            params,
            RUN_TIMEOUT);
    afterRun(packageId, actionId, input);
    return ActionResults.upgrade(result, mapper);
  }

  private void checkAllowedStatus(
      String packageId, String actionId, ActionMetadata.AllowedStatuses allowed) {
    StatusInfo s = status(packageId);
    boolean running = s.started() != null;
    boolean ok =
        switch (allowed) {
          case ONLY_RUNNING -> running;
          case ONLY_STOPPED -> !running;
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
  private void afterRun(String target, String actionId, @Nullable JsonNode input) {
    List<String> stop = new ArrayList<>();
    db.mutate(tx -> {
      for (String owner :
          tx.get(dev.hearth.startd.db.PublicPaths.PACKAGE_DATA).orElse(Map.of()).keySet()) {
        Map<String, TaskEntry> tasks =
            new LinkedHashMap<>(tx.get(PackagePaths.tasks(owner)).orElse(Map.of()));
        boolean changed = false;
        for (var e : List.copyOf(tasks.entrySet())) {
          TaskEntry t = e.getValue();
          if (!t.packageId().equals(target) || !t.actionId().equals(actionId)) {
            continue;
          }
          if (!t.hasCondition()) {
            tasks.remove(e.getKey());
            changed = true;
            continue;
          }
          JsonNode value = input == null ? NullNode.instance : input;
          JsonNode accept = Tasks.accept(t.task());
          if (Tasks.matchesAny(accept, value)) {
            if (t.once()) {
              tasks.remove(e.getKey());
            } else {
              tasks.put(e.getKey(), t.withActive(false));
            }
            changed = true;
          } else if (Tasks.conflictsAll(accept, value)) {
            tasks.put(e.getKey(), t.withActive(true));
            if (t.critical()) {
              stop.add(owner);
            }
            changed = true;
          }
        }
        if (changed) {
          tx.put(PackagePaths.tasks(owner), tasks);
        }
      }
    });
    stop.forEach(this::stopQuietly);
  }

  void stopQuietly(String id) {
    try {
      changeStatus(id, StatusInfo::stop);
    } catch (StartException e) {
      log.debug("could not stop {}: {}", id, e.getMessage());
    }
  }

  /**
   * After a service's init: its tasks and the tasks others hold on its actions are evaluated
   * against the current input of each action (§2.8 re-evaluation).
   */
  void recheckTasksAfterInit(String id) throws InterruptedException {
    for (var owner : installedEntries().keySet()) {
      Map<String, TaskEntry> tasks = db.snapshot().get(PackagePaths.tasks(owner)).orElse(Map.of());
      for (var e : tasks.entrySet()) {
        TaskEntry t = e.getValue();
        if (t.packageId().equals(id) && t.hasCondition()) {
          reevaluate(owner, e.getKey(), t);
        }
      }
    }
    if (hasActiveCriticalTask(id)) {
      stopQuietly(id);
    }
  }

  private void reevaluate(String owner, String replayId, TaskEntry t) throws InterruptedException {
    Optional<JsonNode> value = currentInput(t.packageId(), t.actionId());
    if (value.isEmpty()) {
      return;
    }
    JsonNode accept = Tasks.accept(t.task());
    Boolean active =
        Tasks.matchesAny(accept, value.get())
            ? Boolean.FALSE
            : Tasks.conflictsAll(accept, value.get()) ? Boolean.TRUE : null;
    if (active != null && active != t.active()) {
      db.mutate(tx -> {
        Map<String, TaskEntry> tasks =
            new LinkedHashMap<>(tx.get(PackagePaths.tasks(owner)).orElse(Map.of()));
        // Only the task that was evaluated: one replaced meanwhile is not overwritten with it.
        if (t.equals(tasks.get(replayId))) {
          tasks.put(replayId, t.withActive(active));
          tx.put(PackagePaths.tasks(owner), tasks);
        }
      });
      if (active && t.critical()) {
        stopQuietly(owner);
      }
    }
  }

  /** An action's current input value, if it can be read now. */
  Optional<JsonNode> currentInput(String packageId, String actionId) throws InterruptedException {
    try {
      JsonNode form = getActionInput(packageId, actionId, null, null);
      return form.isNull() ? Optional.empty() : Optional.of(form.path("value"));
    } catch (StartException e) {
      log.debug("input of {}/{} not readable now: {}", packageId, actionId, e.getMessage());
      return Optional.empty();
    }
  }

  public void clearTask(String packageId, String replayId, boolean force) {
    db.transact(tx -> {
      Map<String, TaskEntry> tasks =
          new LinkedHashMap<>(
              tx.get(PackagePaths.tasks(packageId))
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
      tx.put(PackagePaths.tasks(packageId), tasks);
      return null;
    });
  }

  // ---- shutdown ------------------------------------------------------------------------------

  /** Every service exits toward its current version (§5.9), a few at a time, then is torn down. */
  @Override
  public void close() {
    ExecutorService pool =
        Executors.newFixedThreadPool(BOOT_CONCURRENCY, Thread.ofVirtual().factory());
    List<Future<?>> done = new ArrayList<>();
    for (ServiceActor actor : List.copyOf(actors.values())) {
      done.add(
          pool.submit(() -> {
            LoadedService l = actor.stopActing();
            if (l != null) {
              if (l.isInitialized()) {
                exitQuietly(l, currentVersionOrNull(actor.id));
              }
              l.close();
            }
          }));
    }
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (Exception e) {
        log.warn("stopping a service failed", e);
      }
    }
    pool.shutdown();
    actors.clear();
    forwards.closeAll();
    if (sandboxes instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing the container host failed", e);
      }
    }
    logs.values().forEach(LogStore::close);
    logs.clear();
    if (logChanges != null) {
      logChanges.close();
    }
  }

  private @Nullable String currentVersionOrNull(String id) {
    try {
      return currentVersion(id);
    } catch (StartException e) {
      return null;
    }
  }
}
