package dev.hearth.startd.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the kernel's links or addresses change, through {@code ip monitor} (netlink, no
 * polling). Bursts (an interface coming up brings several lines) are gathered into one call after
 * {@link #SETTLE}. If {@code ip} cannot be run, it looks every {@link #FALLBACK_PERIOD} instead.
 */
final class LinkMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LinkMonitor.class);
  static final Duration SETTLE = Duration.ofMillis(200);
  static final Duration FALLBACK_PERIOD = Duration.ofSeconds(10);

  private final Runnable changed;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile @Nullable Process process;
  private final Thread reader;

  private LinkMonitor(Runnable changed) {
    this.changed = changed;
    this.reader = Thread.ofVirtual().name("link-monitor").start(this::run);
  }

  static LinkMonitor start(Runnable changed) {
    return new LinkMonitor(changed);
  }

  private void run() {
    try {
      Process p =
          new ProcessBuilder("ip", "-o", "monitor", "link", "address")
              .redirectErrorStream(true)
              .start();
      process = p;
      try (var in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        while (!closed.get() && in.readLine() != null) {
          if (pending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("link-change").start(this::settleThenTell);
          }
        }
      }
      if (!closed.get()) {
        log.warn("ip monitor ended (exit {}); looking every {}", p.waitFor(), FALLBACK_PERIOD);
        poll();
      }
    } catch (IOException e) {
      if (!closed.get()) {
        log.warn("cannot run ip monitor ({}); looking every {}", e.getMessage(), FALLBACK_PERIOD);
        poll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void settleThenTell() {
    try {
      Thread.sleep(SETTLE);
    } catch (InterruptedException e) {
      return;
    }
    pending.set(false);
    tell();
  }

  private void poll() {
    while (!closed.get()) {
      try {
        Thread.sleep(FALLBACK_PERIOD);
      } catch (InterruptedException e) {
        return;
      }
      tell();
    }
  }

  private void tell() {
    if (closed.get()) {
      return;
    }
    try {
      changed.run();
    } catch (RuntimeException e) {
      log.warn("reading the gateways failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closed.set(true);
    Process p = process;
    if (p != null) {
      p.destroy();
    }
    reader.interrupt();
  }
}
