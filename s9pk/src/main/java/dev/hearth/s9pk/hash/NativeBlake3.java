package dev.hearth.s9pk.hash;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The official C BLAKE3 (SIMD dispatch included) called through the FFM API. The hasher state lives
 * in native memory owned by an automatic arena, so an abandoned hasher is reclaimed by the GC like
 * any object. Inputs are passed without copying: heap arrays through a critical downcall that may
 * access the heap, buffers and mapped files as native segments.
 */
final class NativeBlake3 extends Blake3 {
  private static final Optional<NativeLibrary> LIBRARY = NativeLibrary.load();

  private final MemorySegment state;

  NativeBlake3() {
    NativeLibrary lib = LIBRARY.orElseThrow();
    state = Arena.ofAuto().allocate(lib.hasherSize(), 16);
    invoke(lib.init(), state);
  }

  static boolean available() {
    return LIBRARY.isPresent();
  }

  static String version() {
    return LIBRARY.map(NativeLibrary::version).orElse("unavailable");
  }

  @Override
  public void update(byte[] data, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, data.length);
    update(MemorySegment.ofArray(data).asSlice(offset, length));
  }

  @Override
  public void update(ByteBuffer buffer) {
    update(MemorySegment.ofBuffer(buffer));
    buffer.position(buffer.limit());
  }

  @Override
  public void update(MemorySegment segment) {
    MethodHandle update = LIBRARY.orElseThrow().update();
    long size = segment.byteSize();
    for (long off = 0; off < size; off += CHUNK_BYTES) {
      long n = Math.min(CHUNK_BYTES, size - off);
      try {
        update.invokeExact(state, segment.asSlice(off, n), n);
      } catch (Throwable t) {
        throw new IllegalStateException("native BLAKE3 update failed", t);
      }
    }
  }

  @Override
  public Blake3Hash finish() {
    byte[] out = new byte[Blake3Hash.LENGTH];
    MemorySegment outSeg = MemorySegment.ofArray(out);
    try {
      LIBRARY.orElseThrow().finish().invokeExact(state, outSeg, (long) Blake3Hash.LENGTH);
    } catch (Throwable t) {
      throw new IllegalStateException("native BLAKE3 finalize failed", t);
    }
    return new Blake3Hash(out);
  }

  /**
   * The hash of {@code input}, a native segment of more than one BLAKE3 chunk (1,024 bytes), on up
   * to {@code threads} threads: BLAKE3's tree splits into independent subtrees, and the top ones
   * are hashed on threads of their own (hearth_blake3.c). The same hash as {@link #update} then
   * {@link #finish}.
   */
  static Blake3Hash hashInParallel(MemorySegment input, int threads) {
    if (input.byteSize() <= 1024 || !input.isNative() || threads < 1) {
      throw new IllegalArgumentException("a native segment of more than 1,024 bytes, 1+ threads");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment io = arena.allocate(Blake3Hash.LENGTH);
      io.set(ValueLayout.JAVA_INT_UNALIGNED, 0, threads);
      LIBRARY.orElseThrow().hashParallel().invokeExact(io, input, input.byteSize());
      return new Blake3Hash(io.toArray(ValueLayout.JAVA_BYTE));
    } catch (Throwable t) {
      throw new IllegalStateException("native BLAKE3 parallel hash failed", t);
    }
  }

  private static void invoke(MethodHandle init, MemorySegment state) {
    try {
      init.invokeExact(state, MemorySegment.NULL, 0L);
    } catch (Throwable t) {
      throw new IllegalStateException("native BLAKE3 init failed", t);
    }
  }
}
