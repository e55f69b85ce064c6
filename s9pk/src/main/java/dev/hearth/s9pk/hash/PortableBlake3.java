package dev.hearth.s9pk.hash;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.Blake3Digest;

/** Bouncy Castle's BLAKE3: slow (about 166 MB/s here, anchors.md §3) but runs anywhere. */
final class PortableBlake3 extends Blake3 {
  private final Blake3Digest digest = new Blake3Digest(Blake3Hash.LENGTH * 8);

  @Override
  public void update(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
  }

  @Override
  public void update(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
      return;
    }
    byte[] chunk = new byte[Math.min(buffer.remaining(), 64 << 10)];
    while (buffer.hasRemaining()) {
      int n = Math.min(chunk.length, buffer.remaining());
      buffer.get(chunk, 0, n);
      digest.update(chunk, 0, n);
    }
  }

  @Override
  public void update(MemorySegment segment) {
    byte[] chunk = new byte[(int) Math.min(segment.byteSize(), 64 << 10)];
    for (long off = 0; off < segment.byteSize(); off += chunk.length) {
      int n = (int) Math.min(chunk.length, segment.byteSize() - off);
      MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, off, chunk, 0, n);
      digest.update(chunk, 0, n);
    }
  }

  @Override
  public Blake3Hash finish() {
    byte[] out = new byte[Blake3Hash.LENGTH];
    digest.doFinal(out, 0);
    return new Blake3Hash(out);
  }
}
