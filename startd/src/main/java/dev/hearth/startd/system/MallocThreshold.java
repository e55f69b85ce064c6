package dev.hearth.startd.system;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Fixes glibc's mmap threshold, so that large blocks the daemon frees go back to the system.
 *
 * <p>By default glibc raises the threshold each time a block it had mapped on its own is freed (up
 * to 32 MiB): after the JVM's first few, the large blocks of C2's arenas come from malloc's heaps
 * instead, and what they leave behind stays resident between the blocks still in use. A start of
 * the daemon then ended at one of two idle sizes 4.5 MiB apart, at random, and a 30 MiB arena heap
 * kept 5.7 MiB resident (docs/development.md, "Footprint"). With a fixed threshold every block of
 * 128 KiB or more is mapped and unmapped on its own. {@code MALLOC_MMAP_THRESHOLD_} in the
 * environment does the same, but the daemon has several launchers (make run, the tests, the
 * benchmarks, the Debian package's unit), so it sets it itself, first thing in {@code main}.
 */
public final class MallocThreshold {
  /** mallopt's parameter number for the threshold (malloc.h). */
  private static final int M_MMAP_THRESHOLD = -3;

  /** Blocks from this size up are mapped on their own. glibc's initial value. */
  private static final int BYTES = 128 * 1024;

  private MallocThreshold() {}

  /**
   * Sets the threshold.
   *
   * @return whether the C library took it: false where there is no {@code mallopt} (not glibc)
   */
  public static boolean fix() {
    Linker linker = Linker.nativeLinker();
    var mallopt = linker.defaultLookup().find("mallopt");
    if (mallopt.isEmpty()) {
      return false;
    }
    MethodHandle handle =
        linker.downcallHandle(
            mallopt.get(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    try {
      return (int) handle.invokeExact(M_MMAP_THRESHOLD, BYTES) == 1;
    } catch (Throwable t) {
      throw new IllegalStateException("mallopt failed", t);
    }
  }
}
