package dev.hearth.startd.container;

/**
 * One range of an id-mapped bind ({@link ServiceContainer#bindInto}): files owned on the host by
 * {@code hostId .. hostId+count-1} appear in the container as {@code containerId ..}. Ids that no
 * entry names keep their usual meaning: host id {@code 100000+n} is container id {@code n}.
 *
 * <p>For the {@code mount} effect (container-runtime.md §2.7), whose entries say that the other
 * package's id {@code fromId} should appear as {@code toId}, that is {@code new IdMap(100000 +
 * fromId, toId, range)}, since every package's files are stored under the same 100000 base.
 */
public record IdMap(long hostId, long containerId, long count) {
  /** The first host id of every container's range (container-runtime.md §3.1). */
  public static final long HOST_BASE = 100_000;

  /** How many ids a container has. */
  public static final long CONTAINER_IDS = 65_536;

  private static final long MAX_ID = 0xFFFF_FFFEL; // (uid_t) -1 is "no id"

  public IdMap {
    if (count < 1) {
      throw new IllegalArgumentException("idmap count must be >= 1: " + count);
    }
    if (hostId < 0 || hostId + count - 1 > MAX_ID) {
      throw new IllegalArgumentException(
          "idmap host ids must lie in 0.." + MAX_ID + ": " + hostId + "+" + count);
    }
    if (containerId < 0 || containerId + count > CONTAINER_IDS) {
      throw new IllegalArgumentException(
          "idmap container ids must lie in 0.."
              + (CONTAINER_IDS - 1)
              + ": "
              + containerId
              + "+"
              + count);
    }
  }
}
