package dev.hearth.s9pk.archive;

import java.util.Arrays;

/**
 * The byte ranges an archive's TOCs and file bodies claim, which must not overlap. Upstream's
 * writer lays every body and TOC out once, one after another; a signer that points many entries at
 * the same bytes would make a small package verify, copy or unpack as thousands of times its size,
 * so such a package is refused when it is opened.
 */
final class Extents {
  private long[] starts = new long[64];
  private long[] ends = new long[64];
  private int count;

  /** Records {@code size} bytes from {@code position}; empty ranges claim nothing. */
  void add(long position, long size) {
    if (size == 0) {
      return;
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    starts[count] = position;
    ends[count] = position + size;
    count++;
  }

  /**
   * @throws dev.hearth.error.StartException PARSE_S9PK naming the first two ranges that overlap
   */
  void requireDisjoint() {
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
    for (int k = 1; k < count; k++) {
      int prev = order[k - 1];
      int cur = order[k];
      if (starts[cur] < ends[prev]) {
        throw ArchiveError.malformed(
            "two entries claim overlapping bytes ("
                + starts[prev]
                + ".."
                + ends[prev]
                + " and "
                + starts[cur]
                + ".."
                + ends[cur]
                + "); every file and TOC must have bytes of its own");
      }
    }
  }
}
