package dev.hearth.startd.system;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives the Java heap back to the system after a burst that grew it, such as an Argon2 hash (19 MiB
 * of short-lived blocks, promoted to the old generation before they die).
 *
 * <p>The serial collector (jvm.options) keeps the heap it grew, and the pages it touched stay
 * resident, until a full collection shrinks it; with {@code -XX:-ShrinkHeapInSteps} and {@code
 * -XX:MaxHeapFreeRatio} one full collection shrinks it to its live data and uncommits the rest. A
 * burst asks for one {@link #DELAY} later, so a run of logins costs one collection: a few tens of
 * milliseconds on a heap of this size (docs/development.md, "Footprint").
 */
public final class HeapTrim {
  static final Duration DELAY = Duration.ofSeconds(1);
  private static final AtomicBoolean PENDING = new AtomicBoolean();

  private HeapTrim() {}

  /** Collects once, {@link #DELAY} from now, unless a collection is already due. */
  public static void soon() {
    if (!PENDING.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual()
        .name("heap-trim")
        .start(() -> {
          try {
            Thread.sleep(DELAY);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            PENDING.set(false);
          }
          System.gc();
        });
  }
}
