package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/** The bytes a connection has read and not yet passed on, kept across reads. */
final class Cumulation {
  private Cumulation() {}

  /**
   * {@code held} followed by {@code read}, both now owned by the result. Usually one of them is
   * empty and no byte is copied. A head that comes in many small reads is appended in place, the
   * buffer doubling when full, so a client sending a byte at a time costs linear copying, not
   * quadratic.
   */
  static ByteBuf add(ByteBufAllocator alloc, @Nullable ByteBuf held, ByteBuf read) {
    if (held == null) return read;
    if (!held.isReadable()) {
      held.release();
      return read;
    }
    if (!read.isReadable()) {
      read.release();
      return held;
    }
    int n = read.readableBytes();
    // In place only when nothing else holds this buffer (no slice passed on shares it).
    if (held.refCnt() == 1 && !held.isReadOnly() && held.writableBytes() >= n) {
      held.writeBytes(read);
      read.release();
      return held;
    }
    int size = held.readableBytes() + n;
    ByteBuf merged = alloc.directBuffer(Math.max(size, 2 * held.readableBytes()));
    merged.writeBytes(held).writeBytes(read);
    held.release();
    read.release();
    return merged;
  }

  /** Releases {@code held} when all of it was passed on; returns what is still held. */
  static @Nullable ByteBuf trim(@Nullable ByteBuf held) {
    if (held != null && !held.isReadable()) {
      held.release();
      return null;
    }
    return held;
  }
}
