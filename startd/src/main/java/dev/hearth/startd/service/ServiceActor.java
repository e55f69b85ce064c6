package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Watch;
import dev.hearth.startd.db.Database;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One installed service's reconciler (lifecycle.md §3.3): a virtual thread that watches the
 * service's {@code statusInfo} and starts or stops main until {@code started} matches {@code
 * desired}. Loading, unloading and transitions take one lifecycle lock; effects never do, so a
 * runtime calling back in cannot deadlock with us. A runtime that dies on its own is recorded as an
 * error with its last output and reloaded with growing back-off.
 */
final class ServiceActor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceActor.class);
  static final Duration RETRY = Duration.ofSeconds(10);
  private static final Duration IDLE = Duration.ofMinutes(1);
  private static final Duration[] RELOAD_BACKOFF = {
    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2)
  };

  final String id;
  private final Database db;
  private final InstantSource clock;
  private final Reloader reloader;
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final Watch watch;
  private final Thread thread;
  private volatile @Nullable LoadedService loaded;
  private volatile @Nullable LoadedService loading; // up, its init still running
  private volatile boolean closed;
  private int crashes;

  /** Loads the service again after its runtime died (container-runtime.md §5.3). */
  interface Reloader {
    LoadedService reload(ServiceActor actor) throws InterruptedException;
  }

  ServiceActor(String id, Database db, InstantSource clock, Reloader reloader) {
    this.id = id;
    this.db = db;
    this.clock = clock;
    this.reloader = reloader;
    this.watch = db.watch(PackagePaths.status(id).pointer());
    this.thread = Thread.ofVirtual().name("service-" + id).start(this::run);
  }

  @Nullable LoadedService loaded() {
    return loaded;
  }

  LoadedService requireLoaded() {
    LoadedService l = loaded;
    if (l == null || !l.isInitialized()) {
      throw new StartException(ErrorKind.UNINITIALIZED, id + " is not loaded");
    }
    return l;
  }

  /** Runs {@code body} holding the lifecycle lock. */
  <T> T locked(Supplier<T> body) {
    lifecycle.lock();
    try {
      return body.get();
    } finally {
      lifecycle.unlock();
    }
  }

  /** A service whose init is running: effects may already need to reach it. */
  void attachLoading(LoadedService service) {
    loading = service;
  }

  void detachLoading(LoadedService service) {
    if (loading == service) {
      loading = null;
    }
  }

  @Nullable LoadedService loadedOrLoading() {
    LoadedService l = loaded;
    return l != null ? l : loading;
  }

  /** Takes a freshly loaded and initialised service into use, and watches its runtime. */
  void attach(LoadedService service) {
    lifecycle.lock();
    try {
      LoadedService old = loaded;
      loaded = service;
      detachLoading(service);
      if (old != null && old != service) {
        old.close();
      }
      service.runtime().ended().thenRun(() -> runtimeEnded(service));
      watch.wake(); // a service to reconcile is not a change in the database
    } finally {
      lifecycle.unlock();
    }
  }

  /** Takes the loaded service out of use without closing it (the caller exits it). */
  @Nullable LoadedService detach() {
    lifecycle.lock();
    try {
      LoadedService old = loaded;
      loaded = null;
      return old;
    } finally {
      lifecycle.unlock();
    }
  }

  private void runtimeEnded(LoadedService service) {
    if (closed || loaded != service) {
      return; // we took it down
    }
    log.warn("the runtime of {} exited unexpectedly", id);
    recordError(db, id, "the service's container runtime exited", null, service.recentOutput());
    Thread.ofVirtual().name("reload-" + id).start(() -> reloadWithBackoff(service));
  }

  /**
   * Records why a service is not running: it is marked stopped, with the error and the last lines
   * its runtime wrote (for the user, in {@code statusInfo.error.info}).
   */
  static void recordError(
      Database db, String id, String details, @Nullable String debug, java.util.List<String> tail) {
    var info =
        tail.isEmpty()
            ? null
            : db.codec().mapper().getNodeFactory().textNode(String.join("\n", tail));
    db.mutate(tx ->
        tx.get(PackagePaths.status(id))
            .ifPresent(s ->
                tx.put(
                    PackagePaths.status(id),
                    s.stoppedNow().withError(new StatusInfo.ErrorData(details, debug, info)))));
  }

  private void reloadWithBackoff(LoadedService dead) {
    Duration wait = RELOAD_BACKOFF[Math.min(crashes, RELOAD_BACKOFF.length - 1)];
    crashes++;
    try {
      Thread.sleep(wait);
      if (closed || loaded != dead) {
        return;
      }
      lifecycle.lock();
      try {
        if (loaded != dead) {
          return;
        }
        loaded = null;
        dead.close();
        LoadedService fresh = reloader.reload(this);
        attach(fresh);
        db.mutate(tx ->
            tx.get(PackagePaths.status(id))
                .ifPresent(s -> tx.put(PackagePaths.status(id), s.withError(null))));
      } finally {
        lifecycle.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("reloading {} failed: {}", id, e.getMessage());
    }
  }

  private void run() {
    while (!closed) {
      boolean failed = false;
      try {
        reconcile();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("{}: transition failed: {}", id, e.getMessage());
        failed = true;
      }
      try {
        // The watch wakes us on every status change and when a service is attached; the idle
        // timeout only bounds how long a missed wake-up could go unnoticed.
        watch.next(failed ? RETRY : IDLE);
      } catch (InterruptedException | StartException e) {
        return;
      }
    }
  }

  private void reconcile() throws InterruptedException {
    LoadedService service = loaded;
    if (service == null || !service.isInitialized()) {
      return;
    }
    StatusInfo status = db.snapshot().get(PackagePaths.status(id)).orElse(null);
    if (status == null) {
      return;
    }
    String desired = status.desired().main();
    boolean wantsRunning = desired.equals("running") || desired.equals("restarting");
    boolean wantsStopped = !desired.equals("running");
    lifecycle.lock();
    try {
      if (loaded != service) {
        return;
      }
      if (wantsRunning && status.started() == null) {
        service.start();
        crashes = 0;
        String now = clock.instant().toString();
        db.mutate(tx ->
            tx.get(PackagePaths.status(id))
                .ifPresent(s -> tx.put(PackagePaths.status(id), s.startedAt(now))));
      } else if (wantsStopped && status.started() != null) {
        service.stop();
        db.mutate(tx ->
            tx.get(PackagePaths.status(id))
                .ifPresent(s -> tx.put(PackagePaths.status(id), s.stoppedNow())));
      }
    } finally {
      lifecycle.unlock();
    }
  }

  /** Stops the loop; the loaded service, if any, is returned for the caller to exit. */
  @Nullable LoadedService stopActing() {
    closed = true;
    watch.close();
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return detach();
  }

  @Override
  public void close() {
    LoadedService l = stopActing();
    if (l != null) {
      l.close();
    }
  }
}
