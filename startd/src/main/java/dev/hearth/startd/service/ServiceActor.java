package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import dev.hearth.startd.service.model.StatusInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's actor: the only code that changes what the service is. It owns the service's loaded
 * instance and its every transition (install, update, uninstall, start, stop, restart, rebuild,
 * boot, shutdown; admitting actions), taken one at a time from a bounded mailbox, each answered
 * through its message's future.
 *
 * <h2>Threads</h2>
 *
 * One virtual thread runs the loop; the fields marked "loop only" are touched by it alone. Others
 * {@link #tell} it messages (blocking a little while the mailbox is full, then refused: a flood
 * slows its senders instead of filling memory) or {@link #signal} it (never blocking: used from
 * timers, runtime callbacks and effects, which must not wait on the actor, since the actor may be
 * waiting on the runtime that called them). Readers of {@link #instance()} see a volatile snapshot.
 *
 * <h2>Reconciling</h2>
 *
 * The database holds what the user wants ({@code statusInfo.desired}) and what is true ({@code
 * started}); after every message the actor steps the container toward the former (lifecycle.md
 * §3.3, {@link StatusInfo#nextStep()}). A failed step is retried after {@link #RETRY}; a runtime
 * that dies on its own is recorded as an error with its last output and reloaded after a growing
 * back-off. Time comes from the injected {@link Scheduler}, so tests advance it instead of
 * sleeping.
 */
final class ServiceActor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceActor.class);

  /** Messages waiting at most: each is a person's or a package's request, seldom more than one. */
  static final int MAILBOX = 32;

  /** How long a sender waits for room in a full mailbox before it is refused. */
  static final Duration TELL_WAIT = Duration.ofSeconds(5);

  static final Duration RETRY = Duration.ofSeconds(10); // a failed start or stop is tried again

  /** A runtime that ran this long before it died starts its back-off afresh. */
  static final Duration STABLE = Duration.ofMinutes(10);

  static final List<Duration> RELOAD_BACKOFF =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2));

  /** How long shutdown waits for the service to exit before the loop is interrupted. */
  static final Duration SHUTDOWN_GRACE = LoadedService.STOP_WAIT.plusSeconds(10);

  final PackageId id;
  private final ServiceContext ctx;
  private final Wing wing;
  private final BlockingQueue<Transition> mailbox = new ArrayBlockingQueue<>(MAILBOX);
  private final Thread loop;

  private volatile @Nullable ServiceInstance instance; // written by the loop only
  private volatile @Nullable ServiceInstance loading; // up, its init still running; loop writes
  private volatile @Nullable Transition current; // the message being handled; loop writes

  private final AtomicBoolean reloadDue = new AtomicBoolean();
  private final AtomicBoolean retryDue = new AtomicBoolean();
  private final AtomicReference<@Nullable ServiceInstance> ended = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private boolean gone; // loop only: the package is uninstalled
  private int crashes; // loop only: deaths and failed reloads since it last ran stably
  private java.time.Instant loadedAt = java.time.Instant.MIN; // loop only
  private boolean backingOff; // loop only: a step failed; wait for the retry or a new request
  private Scheduler.@Nullable Scheduled retry; // loop only
  private List<String> loadOutput = List.of(); // loop only: what the last failed load printed

  /** What an actor needs from the rest of the wing. */
  interface Wing {
    /** Re-checks the tasks on {@code id}'s actions after its init (lifecycle.md §4). */
    void afterInit(PackageId id) throws InterruptedException;

    /** Admits, then runs an action beside the actor. */
    void runAction(ServiceInstance on, Transition.RunAction run);

    /** The actor's package is gone: forget the actor and what was kept for it. */
    void gone(ServiceActor actor);
  }

  ServiceActor(PackageId id, ServiceContext ctx, Wing wing) {
    this.id = id;
    this.ctx = ctx;
    this.wing = wing;
    this.loop = Thread.ofVirtual().name("service-" + id).start(this::run);
  }

  // ---- senders ---------------------------------------------------------------------------------

  /**
   * Queues {@code t}; its future reports the outcome.
   *
   * @throws StartException if the mailbox stayed full, or the actor has stopped
   */
  <T extends Transition> T tell(T t) {
    try {
      if (closed.get() || !mailbox.offer(t, TELL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StartException(ErrorKind.INVALID_REQUEST, id + " is busy; try again");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted");
    }
    return t;
  }

  /** Asks the actor to look at the database again; never blocks. */
  void signal() {
    mailbox.offer(new Transition.Wake()); // if full, the loop looks after its next message anyway
  }

  /** The initialised instance, if the service is loaded. */
  @Nullable ServiceInstance instance() {
    return instance;
  }

  /** The instance whether or not its init has finished (effects during init reach it). */
  @Nullable ServiceInstance instanceOrLoading() {
    ServiceInstance i = instance;
    return i != null ? i : loading;
  }

  /** Interrupts the install or update in progress, which then rolls back. */
  void cancelInstall() {
    if (!(current instanceof Transition.Install)) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " is not being installed");
    }
    loop.interrupt();
  }

  // ---- the loop --------------------------------------------------------------------------------

  private void run() {
    while (true) {
      Transition t;
      try {
        t = mailbox.take();
      } catch (InterruptedException e) {
        continue; // a stray cancel; only Shutdown ends the loop
      }
      current = t;
      try {
        if (!handle(t)) {
          return;
        }
        afterMessage();
      } catch (Throwable e) { // an Error is a crash: the actor dies as a process would
        fail(t, e);
        if (gone) {
          return; // its package went, if not all its files
        }
        if (e instanceof Error) {
          log.error("{}: the actor stopped on {}", id, e.toString());
          closed.set(true);
          drain(e);
          return;
        }
      } finally {
        current = null;
        Thread.interrupted(); // a cancel that came too late must not hit the next message
      }
    }
  }

  /**
   * @return false when the actor is done (shut down, or its package is gone)
   */
  private boolean handle(Transition t) throws Exception {
    switch (t) {
      case Transition.Install i -> {
        new Installation(ctx, this).run(i);
        i.done().complete(null);
      }
      case Transition.Uninstall u -> {
        // Throws, the package still there, if it cannot uninit; once it has, the actor is gone.
        new Uninstaller(ctx, this).run(u, this::leave);
        u.done().complete(null);
        return false;
      }
      case Transition.Start s -> {
        if (!s.force() && Actions.hasActiveCriticalTask(ctx.db(), id)) {
          throw new StartException(
              ErrorKind.INVALID_REQUEST,
              id + " has a critical task to do first (run it, or start with force)");
        }
        requireLoaded("start");
        desire(StatusInfo::start);
        backingOff = false;
        s.done().complete(null);
      }
      case Transition.Stop s -> {
        desire(StatusInfo::stop);
        backingOff = false;
        s.done().complete(null);
      }
      case Transition.Restart r -> {
        requireLoaded("restart");
        desire(StatusInfo::restart);
        backingOff = false;
        r.done().complete(null);
      }
      case Transition.Rebuild r -> {
        rebuild();
        r.done().complete(null);
      }
      case Transition.RunAction a -> {
        ServiceInstance i = instance;
        if (i == null || !i.isInitialized()) {
          throw new StartException(ErrorKind.UNINITIALIZED, id + " is not loaded");
        }
        wing.runAction(i, a);
      }
      case Transition.Boot b -> {
        boot();
        b.done().complete(null);
      }
      case Transition.Shutdown s -> {
        closed.set(true);
        drain(new StartException(ErrorKind.CANCELLED, "the server is shutting down"));
        exitAndClose(currentVersion());
        s.done().complete(null);
        return false;
      }
      case Transition.Settle s -> {
        afterMessage();
        s.done().complete(null);
      }
      case Transition.Wake w -> {}
    }
    return true;
  }

  /** The package is going: no more messages; the wing forgets this actor. */
  private void leave() {
    gone = true;
    closed.set(true);
    drain(new StartException(ErrorKind.NOT_FOUND, id + " was uninstalled"));
    wing.gone(this);
  }

  private void afterMessage() throws InterruptedException {
    ServiceInstance dead = ended.getAndSet(null);
    if (dead != null && dead == instance) {
      runtimeDied(dead);
    }
    if (reloadDue.getAndSet(false) && instance == null && isInstalled()) {
      reload();
    }
    if (retryDue.getAndSet(false)) {
      backingOff = false;
    }
    reconcile();
  }

  private static void fail(Transition t, Throwable e) {
    CompletableFuture<?> f = t.outcome();
    if (f != null) {
      f.completeExceptionally(e);
    }
    if (t instanceof Transition.Uninstall u) {
      u.accepted().completeExceptionally(e);
    }
  }

  private void drain(Throwable why) {
    Transition t;
    while ((t = mailbox.poll()) != null) {
      fail(t, why);
    }
  }

  // ---- reconciling -----------------------------------------------------------------------------

  /** Steps the container toward what the database wants, until nothing is left to do. */
  private void reconcile() throws InterruptedException {
    ServiceInstance i = instance;
    if (i == null || !i.isInitialized() || backingOff) {
      return;
    }
    try {
      for (int steps = 0; steps < 4; steps++) { // a restart is at most stop, start, stop, start
        StatusInfo status = ctx.db().snapshot().get(PackagePaths.status(id)).orElse(null);
        if (status == null) {
          return;
        }
        switch (status.nextStep()) {
          case START -> {
            i.start();
            var now = ctx.clock().instant();
            update(s -> s.startedAt(now).withError(null));
          }
          case STOP -> {
            i.stop();
            update(s -> s.stoppedNow().withError(null));
          }
          case NONE -> {
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("{}: transition failed, trying again in {}: {}", id, RETRY, e.getMessage());
      // Shown at once (status error, with the runtime's last lines); what the user wants stays.
      var tail = i.recentOutput();
      update(s -> s.withError(errorData(e.getMessage(), e.getClass().getSimpleName(), tail)));
      backingOff = true;
      later(
          RETRY,
          () -> {
            retryDue.set(true);
            signal();
          });
    }
  }

  /** Changes what the user wants, in one transaction. */
  void desire(UnaryOperator<StatusInfo> change) {
    PackageState state = ctx.db().snapshot().get(PackagePaths.state(id)).orElse(null);
    if (!(state instanceof PackageState.Installed)) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          id + (state == null ? " is not installed" : " is " + state.tag()));
    }
    update(change);
  }

  /** Changes the status if the package still has one. */
  void update(UnaryOperator<StatusInfo> change) {
    ctx.db()
        .mutate(tx ->
            tx.get(PackagePaths.status(id))
                .ifPresent(s -> tx.put(PackagePaths.status(id), change.apply(s))));
  }

  private void later(Duration delay, Runnable what) {
    if (retry != null) {
      retry.cancel();
    }
    retry = ctx.scheduler().after(delay, what);
  }

  // ---- loading ---------------------------------------------------------------------------------

  /** Loads {@code archive}, runs {@code init}, re-checks tasks, and takes the instance into use. */
  ServiceInstance loadAndInit(java.nio.file.Path archive, ServiceInstance.InitKind kind)
      throws InterruptedException {
    ServiceInstance fresh = ctx.loader().load(id, archive);
    loading = fresh;
    try {
      fresh.init(kind);
      wing.afterInit(id);
    } catch (RuntimeException | InterruptedException e) {
      loading = null;
      loadOutput = fresh.recentOutput();
      fresh.close();
      throw e;
    }
    ServiceInstance old = instance;
    instance = fresh;
    loading = null;
    loadedAt = ctx.clock().instant();
    backingOff = false;
    if (old != null && old != fresh) {
      old.close();
    }
    fresh
        .ended()
        .thenRun(() -> {
          ended.set(fresh);
          signal();
        });
    return fresh;
  }

  /** Takes the instance out of use without closing it (the caller exits it). */
  @Nullable ServiceInstance detach() {
    ServiceInstance old = instance;
    instance = null;
    return old;
  }

  private void boot() throws InterruptedException {
    update(StatusInfo::booted);
    ctx.bootSlots().acquire();
    try {
      loadAndInit(installedArchive(), ServiceInstance.InitKind.LOAD);
    } catch (RuntimeException e) {
      log.warn("could not load {}: {}", id, e.getMessage());
      recordLoadFailure(e);
      reloadLater();
    } finally {
      ctx.bootSlots().release();
    }
  }

  private void rebuild() throws InterruptedException {
    exitAndClose(currentVersion());
    update(s -> s.stoppedNow().withError(null));
    try {
      loadAndInit(installedArchive(), ServiceInstance.InitKind.LOAD);
    } catch (RuntimeException e) {
      log.warn("rebuilding {} failed: {}", id, e.getMessage());
      recordLoadFailure(e);
      reloadLater();
    }
  }

  private void runtimeDied(ServiceInstance dead) {
    log.warn("the runtime of {} exited unexpectedly", id);
    instance = null;
    recordError("the service's container runtime exited", null, dead.recentOutput());
    dead.close();
    if (Duration.between(loadedAt, ctx.clock().instant()).compareTo(STABLE) > 0) {
      crashes = 0;
    }
    reloadLater();
  }

  /** Schedules a reload after the back-off this many crashes have earned. */
  private void reloadLater() {
    Duration wait = RELOAD_BACKOFF.get(Math.min(crashes, RELOAD_BACKOFF.size() - 1));
    crashes++;
    later(
        wait,
        () -> {
          reloadDue.set(true);
          signal();
        });
  }

  private void reload() throws InterruptedException {
    try {
      loadAndInit(installedArchive(), ServiceInstance.InitKind.LOAD);
      update(s -> s.withError(null));
    } catch (RuntimeException e) {
      log.warn("reloading {} failed: {}", id, e.getMessage());
      recordLoadFailure(e);
      reloadLater();
    }
  }

  /** Exits the instance toward {@code target} (errors logged: it goes either way), closes it. */
  void exitAndClose(@Nullable String target) {
    ServiceInstance old = detach();
    if (old == null) {
      return;
    }
    try {
      if (old.isInitialized()) {
        old.exit(target);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("{} did not exit cleanly: {}", id, e.getMessage());
    } finally {
      old.close();
    }
  }

  /**
   * Records why the service is not running: marked stopped, with the error and the last lines its
   * runtime wrote (for the user, in {@code statusInfo.error.info}).
   */
  void recordError(@Nullable String details, @Nullable String debug, List<String> tail) {
    var error = errorData(details, debug, tail);
    update(s -> s.stoppedNow().withError(error));
  }

  /** Records why loading failed, with what the runtime printed before it was closed. */
  void recordLoadFailure(RuntimeException e) {
    recordError(e.getMessage(), e.getClass().getSimpleName(), loadOutput);
  }

  private StatusInfo.ErrorData errorData(
      @Nullable String details, @Nullable String debug, List<String> tail) {
    var info =
        tail.isEmpty() ? null : ctx.mapper().getNodeFactory().textNode(String.join("\n", tail));
    return new StatusInfo.ErrorData(String.valueOf(details), debug, info);
  }

  /**
   * Loads the service now if it is not: its init failed, or its runtime died and waits for its
   * reload. A person's request is worth trying at once, and if the service still cannot load, the
   * request fails with the reason instead of waiting for a retry nobody sees.
   *
   * @throws StartException UNINITIALIZED with the reason the service cannot load
   */
  void requireLoaded(String toDo) throws InterruptedException {
    ServiceInstance i = instance;
    if ((i != null && i.isInitialized()) || !isInstalled()) {
      return; // loaded, or not installed: what comes next says so
    }
    try {
      loadAndInit(installedArchive(), ServiceInstance.InitKind.LOAD);
      update(s -> s.withError(null));
    } catch (RuntimeException e) {
      log.warn("{} cannot {}: loading it failed: {}", id, toDo, e.getMessage());
      recordLoadFailure(e);
      throw new StartException(
          ErrorKind.UNINITIALIZED,
          id + " cannot " + toDo + ": it does not load (" + e.getMessage() + ")",
          e);
    }
  }

  private boolean isInstalled() {
    return ctx.db().snapshot().get(PackagePaths.state(id)).orElse(null)
        instanceof PackageState.Installed;
  }

  private java.nio.file.Path installedArchive() {
    return ctx.archives()
        .installed(id, ctx.db().snapshot().get(PackagePaths.host(id)).orElse(null))
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, id + " is not installed"));
  }

  private @Nullable String currentVersion() {
    return ctx.db().snapshot().get(PackagePaths.state(id)).map(PackageState::version).orElse(null);
  }

  // ---- closing ---------------------------------------------------------------------------------

  /**
   * Exits the service toward its current version (container-runtime.md §5.9) and ends the loop,
   * within {@link #SHUTDOWN_GRACE}; after that the loop is interrupted.
   */
  @Override
  public void close() {
    if (!loop.isAlive()) {
      return;
    }
    var done = new CompletableFuture<Void>();
    closed.set(true);
    drain(new StartException(ErrorKind.CANCELLED, "the server is shutting down"));
    mailbox.offer(new Transition.Shutdown(done));
    try {
      if (!loop.join(SHUTDOWN_GRACE)) {
        loop.interrupt();
        loop.join(Duration.ofSeconds(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
