package dev.hearth.startd.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs something later: an actor's retry and back-off. Injected, so tests advance time instead of
 * sleeping. What it runs must be quick and must not block (actors only post themselves a signal).
 */
interface Scheduler extends AutoCloseable {
  /** A scheduled run, which can still be called off. */
  interface Scheduled {
    void cancel();
  }

  Scheduled after(Duration delay, Runnable what);

  @Override
  void close();

  /** The real one: one daemon thread for every actor's timers. */
  static Scheduler system() {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("service-timers").daemon().factory());
    return new Scheduler() {
      @Override
      public Scheduled after(Duration delay, Runnable what) {
        ScheduledFuture<?> f = timer.schedule(what, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {
        timer.shutdownNow();
      }
    };
  }
}
