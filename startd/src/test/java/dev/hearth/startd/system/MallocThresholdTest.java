package dev.hearth.startd.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MallocThresholdTest {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle MALLOC =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("malloc").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle FREE =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("free").orElseThrow(),
          FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

  /** glibc marks a chunk it mapped on its own in its size word, just before the block. */
  private static final long IS_MMAPPED = 0x2;

  /**
   * Without a fixed threshold, freeing the 4 MiB block raises glibc's threshold to 4 MiB, and every
   * 512 KiB block then comes from malloc's heaps, where its pages stay when it is freed. With it, a
   * block comes from a heap only if a free chunk there already fits (other code in this JVM freed
   * some), so most of 64 are mapped on their own.
   */
  @Test
  void largeBlocksAreMappedOnTheirOwnEvenAfterALargerOneWasFreed() throws Throwable {
    assertThat(MallocThreshold.fix()).isTrue();

    FREE.invokeExact((MemorySegment) MALLOC.invokeExact(4L << 20));
    List<MemorySegment> blocks = new ArrayList<>();
    int mapped = 0;
    try {
      for (int i = 0; i < 64; i++) {
        MemorySegment block = (MemorySegment) MALLOC.invokeExact(512L << 10);
        blocks.add(block);
        long sizeWord =
            MemorySegment.ofAddress(block.address() - 8)
                .reinterpret(8)
                .get(ValueLayout.JAVA_LONG, 0);
        if ((sizeWord & IS_MMAPPED) != 0) {
          mapped++;
        }
      }
    } finally {
      for (MemorySegment block : blocks) {
        FREE.invokeExact(block);
      }
    }
    assertThat(mapped).as("blocks of 512 KiB mapped on their own, of 64").isGreaterThan(32);
  }
}
