package dev.hearth.s9pk.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native and the portable BLAKE3 agree with each other and with the reference values. */
class Blake3Test {
  @TempDir Path dir;

  @Test
  void nativeLibraryLoadsOnLinuxX86_64() {
    if (LibraryCopy.platform().equals("linux-x86_64")) {
      assertThat(NativeBlake3.available()).as("the build compiles it for this platform").isTrue();
      assertThat(Blake3.implementation()).startsWith("native C BLAKE3 1.");
    }
    assertThat(Blake3.newHasher())
        .isInstanceOf(NativeBlake3.available() ? NativeBlake3.class : PortableBlake3.class);
  }

  @Test
  void knownDigestsFromTheSpec() {
    assertThat(Blake3.hash("hi".getBytes(StandardCharsets.UTF_8)).hex())
        .isEqualTo("85052e9aab1b67b6622d94a08441b09fd5b7aca61ee360416d70de5da67d86ca");
    assertThat(Blake3.hash(new byte[0]).hex())
        .isEqualTo("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
  }

  @Test
  void nativeAndPortableAgreeOnEverySizeAcrossChunkBoundaries() {
    Random random = new Random(7);
    int[] sizes = {
      0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 4097, 16384, 65537, 1 << 20, (5 << 20) + 3
    };
    for (int size : sizes) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Blake3Hash portable = digest(new PortableBlake3(), data, 1000);
      assertThat(Blake3.hash(data)).as("size %d", size).isEqualTo(portable);
      assertThat(digest(Blake3.newHasher(), data, 7))
          .as("size %d in pieces", size)
          .isEqualTo(portable);
    }
  }

  @Test
  void hashingOnSeveralThreadsGivesTheOneThreadDigestAtEverySplit() {
    assumeTrue(NativeBlake3.available(), "the threaded hash is the native library's");
    Random random = new Random(11);
    // Around the chunk (1 KiB) and the threading threshold (1 MiB), and odd sizes whose top
    // subtrees are unequal, so that left and right children of every depth are exercised.
    int[] sizes = {
      1025,
      2049,
      (1 << 20) - 1,
      1 << 20,
      (1 << 20) + 1,
      (2 << 20) + 1024,
      (3 << 20) + 5,
      4 << 20,
      (4 << 20) + 1,
      (6 << 20) + 1023,
      (17 << 20) + 1
    };
    for (int size : sizes) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Blake3Hash oneThread = Blake3.hash(data);
      if (size < (4 << 20)) {
        assertThat(oneThread).isEqualTo(digest(new PortableBlake3(), data, 1 << 16));
      }
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment input = arena.allocate(size);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, input, 0, size);
        for (int threads : new int[] {1, 2, 3, 4, 7}) {
          assertThat(NativeBlake3.hashInParallel(input, threads))
              .as("size %d on %d threads", size, threads)
              .isEqualTo(oneThread);
        }
      }
    }
  }

  @Test
  void hashingAFileByMappingAndByReadingGivesTheSameDigest() throws Exception {
    byte[] data = new byte[(9 << 20) + 17];
    new Random(3).nextBytes(data);
    Path f = dir.resolve("data.bin");
    Files.write(f, data);
    Blake3Hash expected = digest(new PortableBlake3(), data, 1 << 16);
    assertThat(Blake3.hashFile(f, Blake3.FileRead.MMAP)).isEqualTo(expected);
    assertThat(Blake3.hashFile(f, Blake3.FileRead.READ)).isEqualTo(expected);
  }

  @Test
  void aPipeIsHashedByWhatItYieldsNotByItsSize() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    byte[] data = new byte[200_000];
    new Random(11).nextBytes(data);
    Thread writer =
        Thread.ofVirtual()
            .start(() -> {
              try {
                Files.write(fifo, data);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(Blake3.hashFile(fifo, Blake3.FileRead.MMAP)).isEqualTo(Blake3.hash(data));
    writer.join();
  }

  @Test
  void directAndHeapBuffersHashAlike() {
    byte[] data = new byte[100_000];
    new Random(5).nextBytes(data);
    Blake3 heap = Blake3.newHasher();
    heap.update(ByteBuffer.wrap(data));
    Blake3 direct = Blake3.newHasher();
    direct.update(ByteBuffer.allocateDirect(data.length).put(data).flip());
    assertThat(direct.finish()).isEqualTo(heap.finish()).isEqualTo(Blake3.hash(data));
  }

  private static Blake3Hash digest(Blake3 h, byte[] data, int piece) {
    for (int off = 0; off < data.length; off += piece) {
      h.update(data, off, Math.min(piece, data.length - off));
    }
    return h.finish();
  }
}
