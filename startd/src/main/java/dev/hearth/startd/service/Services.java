package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.effect.Effects;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.system.LogStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service wing's facade: finds each installed service's {@link ServiceActor} and hands it the
 * request as a {@link Transition}, or reads what the database says. RPC methods and effects both
 * come through here. Methods that change a service block until its actor has taken the change (not
 * until the container has followed), and throw the {@link StartException} it failed with.
 */
public final class Services implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Services.class);

  final ServiceContext ctx;
  final Sandboxes sandboxes;
  final Actions actions;
  final Attach attach;
  final Forwards forwards;
  private final ServiceLogs logs;
  private final Installer installer;
  private final Map<PackageId, ServiceActor> actors = new ConcurrentHashMap<>();
  private final ServiceActor.Wing wing = new ActorWing();
  private final ServicesEffectHost effectHost = new ServicesEffectHost(this);
  private final ObjectMapper effectParams;

  /** Makes the wing's {@link Loader} once the facade exists (the effects it serves need it). */
  interface LoaderFactory {
    Loader make(Services services, ServiceLogs logs);
  }

  Services(
      Database db,
      Path dataDir,
      Sandboxes sandboxes,
      LoaderFactory loaders,
      Continuations continuations,
      Notifications notifications,
      ObjectMapper mapper,
      InstantSource clock,
      Scheduler scheduler,
      Checkpoint.Hooks hooks,
      String bootId,
      String arch,
      Set<Integer> daemonPorts) {
    DataDirs dirs = new DataDirs(dataDir);
    dirs.createDirectories();
    this.sandboxes = sandboxes;
    this.logs = new ServiceLogs(dirs, bootId, mapper);
    this.effectParams = Effects.paramsMapper(mapper);
    this.forwards = new Forwards(sandboxes, new HostPorts(daemonPorts));
    this.ctx =
        new ServiceContext(
            db,
            dirs,
            new Archives(dirs),
            loaders.make(this, logs),
            notifications,
            new InstallProgress(db),
            mapper,
            clock,
            scheduler,
            hooks,
            new Semaphore(ServiceContext.BOOT_CONCURRENCY));
    this.actions =
        new Actions(
            db, mapper, id -> actor(id).map(ServiceActor::instanceOrLoading), this::stopLater);
    this.installer =
        new Installer(
            ctx,
            continuations,
            arch,
            Compatibility.machineRam(),
            (pkg, t) -> actorFor(pkg.id()).tell(t));
    this.attach = new Attach(this, continuations, mapper);
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
      Set<Integer> daemonPorts) {
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
    String arch = dev.hearth.s9pk.Selection.machineArch();
    Sandboxes made = sandboxes;
    return new Services(
        db,
        dataDir,
        sandboxes,
        (services, logs) ->
            new ContainerLoader(
                db, new DataDirs(dataDir), arch, made, logs, mapper, services::effectsTree),
        continuations,
        notifications,
        mapper,
        clock,
        Scheduler.system(),
        Checkpoint.Hooks.NONE,
        bootId,
        arch,
        daemonPorts);
  }

  private RpcTree effectsTree(LoadedService loaded) {
    return Effects.tree(effectParams, effectHost, new LoadedServiceCaller(loaded));
  }

  // ---- actors ----------------------------------------------------------------------------------

  Optional<ServiceActor> actor(PackageId id) {
    return Optional.ofNullable(actors.get(id));
  }

  private ServiceActor actorFor(PackageId id) {
    return actors.computeIfAbsent(id, i -> new ServiceActor(i, ctx, wing));
  }

  /** An installed service's actor. */
  private ServiceActor installed(PackageId id) {
    if (ctx.db().snapshot().get(PackagePaths.state(id)).isEmpty()) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " is not installed");
    }
    return actorFor(id);
  }

  private final class ActorWing implements ServiceActor.Wing {
    @Override
    public void afterInit(PackageId id) throws InterruptedException {
      actions.afterInit(id);
    }

    @Override
    public void runAction(ServiceInstance on, Transition.RunAction run) {
      actions.run(on, run);
    }

    @Override
    public void gone(ServiceActor actor) {
      actors.remove(actor.id, actor);
      forwards.closeAll(actor.id);
      logs.forget(actor.id);
    }
  }

  /** Waits until {@code id}'s actor has handled everything sent before and reconciled. */
  void settle(PackageId id) {
    actor(id)
        .ifPresent(
            a -> Outcomes.await(a.tell(new Transition.Settle(new CompletableFuture<>())).done()));
  }

  // ---- boot and shutdown -----------------------------------------------------------------------

  /**
   * At boot: whatever a crash interrupted is recovered ({@link Recovery}), then every installed
   * service is loaded again, a few at a time. Returns when all have loaded or failed to.
   */
  public void boot() {
    Recovery.run(ctx);
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    for (PackageId id : installedIds()) {
      loads.add(actorFor(id).tell(new Transition.Boot(new CompletableFuture<>())).done());
    }
    for (var load : loads) {
      try {
        load.join();
      } catch (CompletionException e) {
        log.warn("booting a service failed: {}", e.getMessage());
      }
    }
  }

  /** From now on, bindings the host terminates TLS for are served through {@code front}. */
  public void useTls(dev.hearth.startd.net.TlsFront front) {
    forwards.useTls(front);
  }

  /**
   * Runs {@code create} where a socket reaches the containers (the TLS proxy's upstream sockets).
   */
  public <T> T inBridgeNamespace(java.util.concurrent.Callable<T> create)
      throws java.io.IOException {
    return sandboxes.inBridgeNamespace(create);
  }

  /** Makes the host refuse exactly {@code addresses}: the firewall the network subsystem keeps. */
  public void block(List<dev.hearth.startd.net.Blocked> addresses) {
    sandboxes.block(addresses);
  }

  /** Every service exits toward its current version (§5.9), a few at a time, then is torn down. */
  @Override
  public void close() {
    try (ExecutorService pool =
        Executors.newFixedThreadPool(
            ServiceContext.BOOT_CONCURRENCY, Thread.ofVirtual().factory())) {
      for (ServiceActor actor : List.copyOf(actors.values())) {
        pool.submit(actor::close);
      }
    }
    actors.clear();
    forwards.closeAll();
    ctx.scheduler().close();
    if (sandboxes instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing the container host failed", e);
      }
    }
    logs.close();
  }

  // ---- installing and removing -----------------------------------------------------------------

  /**
   * Installs a package file downloaded from {@code registry}: the same checks and install as a
   * sideload, plus the registry's commitment. Verifies on the caller's thread; {@code done}
   * completes when the install does.
   *
   * @return false when it was refused (its progress says why; the file is gone)
   */
  public boolean installDownloaded(
      Path file,
      dev.hearth.s9pk.archive.Commitment expected,
      String registry,
      dev.hearth.startd.continuation.ProgressTracker progress,
      dev.hearth.s9pk.sign.@Nullable SignerKey accepted,
      CompletableFuture<Void> done) {
    ctx.loader().checkCanRun();
    return installer.installDownloaded(file, expected, registry, progress, accepted, done);
  }

  /** Where a download in progress is kept: on the disk the install reads it from. */
  public Path downloads() {
    return ctx.dirs().downloading();
  }

  /** {@code package.sideload}: an upload continuation and a progress one. */
  public PackageApi.Sideload sideload(@Nullable String session, @Nullable String acceptKey) {
    return installer.sideload(session, acceptKey);
  }

  /** Installs a verified package through its actor (tests and registries skip the upload). */
  CompletableFuture<Void> install(Transition.Install install) {
    return actorFor(install.pkg().id()).tell(install).done();
  }

  /** {@code package.cancel-install}: the install or update in progress rolls back. */
  public void cancelInstall(PackageId id) {
    actor(id)
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not being installed"))
        .cancelInstall();
  }

  /**
   * {@code package.uninstall}: returns once the package is marked removing; the rest goes on in its
   * actor (the returned future).
   */
  public CompletableFuture<Void> uninstall(PackageId id, Uninstaller.Mode mode) {
    var u =
        installed(id)
            .tell(
                new Transition.Uninstall(
                    mode, new CompletableFuture<>(), new CompletableFuture<>()));
    Outcomes.await(u.accepted());
    return u.done();
  }

  // ---- run state -------------------------------------------------------------------------------

  public void start(PackageId id, boolean force) {
    Outcomes.await(
        installed(id).tell(new Transition.Start(force, new CompletableFuture<>())).done());
  }

  public void stop(PackageId id) {
    Outcomes.await(installed(id).tell(new Transition.Stop(new CompletableFuture<>())).done());
  }

  public void restart(PackageId id) {
    Outcomes.await(installed(id).tell(new Transition.Restart(new CompletableFuture<>())).done());
  }

  /** Tears the container down and loads it again (§5.3); returns once the actor has it. */
  public CompletableFuture<Void> rebuild(PackageId id) {
    return installed(id).tell(new Transition.Rebuild(new CompletableFuture<>())).done();
  }

  public void rebuildAll() {
    installedIds().forEach(this::rebuild);
  }

  /** Asks a service to stop without waiting for its actor (a critical task became active). */
  void stopLater(PackageId id) {
    actor(id)
        .ifPresent(a -> {
          try {
            a.tell(new Transition.Stop(new CompletableFuture<>()));
          } catch (StartException e) {
            log.warn("could not ask {} to stop: {}", id, e.getMessage());
          }
        });
  }

  /** Tells a service's actor a transition without waiting for it (effects must not wait). */
  void tellLater(PackageId id, Transition t) {
    installed(id).tell(t);
  }

  /** What the runtime says of main, written as a fact; the actor looks again. */
  void reportMain(PackageId id, boolean running) {
    var now = ctx.clock().instant();
    actor(id)
        .ifPresent(a -> {
          a.update(s -> running ? s.startedAt(now) : s.stoppedNow());
          a.signal();
        });
  }

  // ---- reading ---------------------------------------------------------------------------------

  List<PackageId> installedIds() {
    return Listing.installedIds(ctx.db());
  }

  public List<PackageApi.Listed> list() {
    return Listing.list(ctx.db());
  }

  public @Nullable String installedVersion(PackageId id) {
    return Listing.installedVersion(ctx.db(), id);
  }

  public Map<String, PackageApi.@Nullable Stats> stats() {
    Map<String, PackageApi.@Nullable Stats> out = new LinkedHashMap<>();
    for (PackageId id : installedIds()) {
      Sandbox s = loadedService(id).map(l -> l.sandbox).orElse(null);
      if (s == null || !s.isRunning()) {
        out.put(id.value(), null);
        continue;
      }
      long[] m = s.memory();
      out.put(id.value(), new PackageApi.Stats(s.name(), m[0] / 1048576.0, m[1] / 1048576.0));
    }
    return out;
  }

  /** The log store of an installed package. */
  public LogStore logStore(PackageId id) {
    installed(id);
    return logs.store(id);
  }

  /** A service's initialised container, for attach. */
  LoadedService loaded(PackageId id) {
    return actor(id)
        .map(ServiceActor::instance)
        .filter(i -> i instanceof LoadedService)
        .map(i -> (LoadedService) i)
        .orElseThrow(() -> new StartException(ErrorKind.UNINITIALIZED, id + " is not loaded"));
  }

  /** A service's container whether or not init has finished (effects during init). */
  Optional<LoadedService> loadedService(PackageId id) {
    return actor(id)
        .map(ServiceActor::instanceOrLoading)
        .filter(i -> i instanceof LoadedService)
        .map(i -> (LoadedService) i);
  }

  // ---- actions and tasks -----------------------------------------------------------------------

  /** The action's form and current value, or null if it takes no input. */
  public JsonNode getActionInput(
      PackageId packageId, String actionId, @Nullable JsonNode prefill, @Nullable String eventId)
      throws InterruptedException {
    return actions.input(packageId, actionId, prefill, eventId);
  }

  /** Runs an action once the service's actor admits it (§2.8). */
  public JsonNode runAction(
      PackageId packageId, String actionId, @Nullable String eventId, @Nullable JsonNode input) {
    return Outcomes.await(
        installed(packageId)
            .tell(new Transition.RunAction(actionId, eventId, input, new CompletableFuture<>()))
            .result());
  }

  public void clearTask(PackageId packageId, String replayId, boolean force) {
    actions.clearTask(packageId, replayId, force);
  }
}
