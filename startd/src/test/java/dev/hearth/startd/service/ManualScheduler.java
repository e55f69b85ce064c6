package dev.hearth.startd.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** Time that moves only when a test says so: timers fire in {@link #advance}. */
final class ManualScheduler implements Scheduler, InstantSource {
  private Instant now = Instant.parse("2026-12-04T00:00:00Z");
  private final List<Timer> timers = new ArrayList<>();

  private static final class Timer {
    final Instant due;
    final Runnable what;
    boolean cancelled;

    Timer(Instant due, Runnable what) {
      this.due = due;
      this.what = what;
    }
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized Scheduled after(Duration delay, Runnable what) {
    Timer t = new Timer(now.plus(delay), what);
    timers.add(t);
    return () -> {
      synchronized (this) {
        t.cancelled = true;
      }
    };
  }

  /** Moves time forward, running every timer that falls due, in order. */
  void advance(Duration by) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      now = now.plus(by);
      timers.sort(java.util.Comparator.comparing(t -> t.due));
      for (var it = timers.iterator(); it.hasNext(); ) {
        Timer t = it.next();
        if (!t.due.isAfter(now)) {
          it.remove();
          if (!t.cancelled) {
            due.add(t.what);
          }
        }
      }
    }
    due.forEach(Runnable::run);
  }

  synchronized int pending() {
    return (int) timers.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public void close() {}
}
