package dev.hearth.s9pk.archive;

import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 of a u64, at most 10 bytes (s9pk.md §3.1). */
final class Varint {
  static final int MAX_BYTES = 10;

  private Varint() {}

  static void write(ByteArrayOutputStream out, long value) {
    while (Long.compareUnsigned(value, 0x80) >= 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  static int size(long value) {
    int n = 1;
    while (Long.compareUnsigned(value, 0x80) >= 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }
}
