package dev.hearth.startd.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each probe runs in a JVM of its own: in this one, hundreds of tests have already left free chunks
 * in malloc's heaps, and a large block fits in one of those whatever the threshold (CI once saw 28
 * of 64 mapped).
 */
class MallocThresholdTest {
  @Test
  void largeBlocksAreMappedOnTheirOwnEvenAfterALargerOneWasFreed() throws Exception {
    assertThat(probe(true)).as("blocks of 512 KiB mapped on their own, of 64").isGreaterThan(48);
  }

  /** The probe itself can fail: without the call, glibc's threshold moves and none is mapped. */
  @Test
  void withoutTheFixTheBlocksComeFromMallocsHeaps() throws Exception {
    assertThat(probe(false)).as("blocks of 512 KiB mapped on their own, of 64").isLessThan(16);
  }

  private static int probe(boolean fix) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                Boolean.toString(fix))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return Integer.parseInt(output.strip());
  }

  /** Frees a 4 MiB block, then counts how many of 64 blocks of 512 KiB glibc mapped alone. */
  static final class Probe {
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

    public static void main(String[] args) throws Throwable {
      if (Boolean.parseBoolean(args[0]) && !MallocThreshold.fix()) {
        throw new IllegalStateException("mallopt refused the threshold");
      }
      FREE.invokeExact((MemorySegment) MALLOC.invokeExact(4L << 20));
      List<MemorySegment> blocks = new ArrayList<>();
      int mapped = 0;
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
      for (MemorySegment block : blocks) {
        FREE.invokeExact(block);
      }
      System.out.println(mapped);
    }
  }
}
