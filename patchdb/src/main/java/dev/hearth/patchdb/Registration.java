package dev.hearth.patchdb;

import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener called on its own virtual thread with the value at a path, first as it is and then
 * after each change (see {@link PatchDb#onChange}). Closing it stops the thread.
 */
public final class Registration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  private static final Duration FOREVER = Duration.ofDays(365);

  private final Watch watch;
  private final Consumer<Json> listener;
  private final Consumer<Registration> onClose;
  private final Thread thread;

  Registration(Watch watch, Consumer<Json> listener, Consumer<Registration> onClose) {
    this.watch = watch;
    this.listener = listener;
    this.onClose = onClose;
    this.thread = Thread.ofVirtual().name("patchdb-listener " + watch.path()).start(this::run);
  }

  private void run() {
    call(watch.value());
    while (true) {
      Optional<Json> next;
      try {
        next = watch.next(FOREVER);
      } catch (InterruptedException | StartException closed) {
        return;
      }
      next.ifPresent(this::call);
    }
  }

  private void call(Json value) {
    try {
      listener.accept(value);
    } catch (RuntimeException e) {
      log.warn(
          "listener on {} failed; it will be called again at the next change", watch.path(), e);
    }
  }

  /** Stops the listener; waits for a call in progress to return. */
  @Override
  public void close() {
    watch.close();
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onClose.accept(this);
  }
}
