package dev.hearth.startd.system;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The process's file-creation mask, which the JDK has no API for. The daemon runs with {@link
 * #PRIVATE} (issue 10: its database was once readable by every host user), as its systemd unit says
 * ({@code UMask=0077}); code that makes files others must read (a container's) sets their modes
 * explicitly.
 */
public final class Umask {
  /** Nothing the daemon creates is readable by others unless it says so. */
  public static final int PRIVATE = 0077;

  private Umask() {}

  /**
   * Sets the mask.
   *
   * @return the previous one
   */
  public static int set(int mask) {
    Linker linker = Linker.nativeLinker();
    MethodHandle umask =
        linker.downcallHandle(
            linker.defaultLookup().find("umask").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    try {
      return (int) umask.invokeExact(mask);
    } catch (Throwable t) {
      throw new IllegalStateException("umask failed", t);
    }
  }
}
