package dev.hearth.s9pk.archive;

/**
 * How much table of contents a reader accepts before reading or allocating it. The root limit is
 * upstream's ({@code CAP_1_MiB}, s9pk.md §6.3); the others are ours, since upstream trusts any
 * signed size below the root: a signer could otherwise declare terabytes of TOC.
 *
 * @param maxRootToc root TOC bytes without a commitment (upstream: 1 MiB)
 * @param maxToc bytes of any one directory's TOC
 * @param maxTotalToc bytes of all TOCs together
 * @param maxDepth directories below the root on any path
 */
public record Limits(long maxRootToc, long maxToc, long maxTotalToc, int maxDepth) {
  /** 1 MiB root, 1 MiB per directory, 16 MiB in all, 32 levels: far above any real package. */
  public static final Limits DEFAULT = new Limits(1 << 20, 1 << 20, 16 << 20, 32);

  public Limits {
    if (maxRootToc <= 0 || maxToc <= 0 || maxTotalToc <= 0 || maxDepth < 0) {
      throw new IllegalArgumentException("archive limits must be positive: " + this);
    }
  }
}
