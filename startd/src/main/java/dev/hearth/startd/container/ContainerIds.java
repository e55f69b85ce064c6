package dev.hearth.startd.container;

/**
 * The host ids one container's ids stand for: container uid and gid {@code n} are host id {@code
 * base + n}, for {@code n} below {@link #COUNT}. Each service gets a range of its own (issue 10): a
 * file that escapes one container, or a process that does, is then owned by ids no other container
 * has, so it reaches nothing of another service.
 *
 * <p>Ranges are handed out in slots of {@link #COUNT} ids from {@link #FIRST_BASE} (LXC's customary
 * first subordinate id); {@link Containers} refuses to run two containers whose ranges overlap.
 *
 * @param base the host id of container root
 */
public record ContainerIds(long base) {
  /** Ids per container: what a full Debian system inside one expects. */
  public static final long COUNT = 65_536;

  /** The base of slot 0. */
  public static final long FIRST_BASE = 100_000;

  /**
   * Slots handed out: far more services than one machine runs, and ids 100000..268535455, well
   * below 2^32 - 1 ((uid_t) -1 means "none"). A host with {@code uidmap} installed needs them all
   * in root's {@code /etc/subuid} and {@code /etc/subgid} ({@link #SPAN} ids).
   */
  public static final int SLOTS = 4096;

  /** Every id the slots cover. */
  public static final long SPAN = SLOTS * COUNT;

  /** Slot 0, which every container used before ranges were per service. */
  public static final ContainerIds FIRST = slot(0);

  public ContainerIds {
    if (base < FIRST_BASE || base + COUNT - 1 > 0xFFFF_FFFEL) {
      throw new IllegalArgumentException(
          "a container's id range must lie in " + FIRST_BASE + "..4294967294: base " + base);
    }
  }

  /** The range of slot {@code n}. */
  public static ContainerIds slot(int n) {
    if (n < 0 || n >= SLOTS) {
      throw new IllegalArgumentException("no id slot " + n + " (0.." + (SLOTS - 1) + ")");
    }
    return new ContainerIds(FIRST_BASE + n * COUNT);
  }

  /** The slot this range is, or -1 if its base is not on a slot boundary. */
  public int slot() {
    long offset = base - FIRST_BASE;
    return offset % COUNT == 0 ? (int) (offset / COUNT) : -1;
  }

  /** Container root's host uid and gid. */
  public int root() {
    return (int) base;
  }

  /** Whether host id {@code id} is one of this container's. */
  public boolean contains(long id) {
    return id >= base && id < base + COUNT;
  }

  boolean overlaps(ContainerIds other) {
    return base < other.base + COUNT && other.base < base + COUNT;
  }
}
