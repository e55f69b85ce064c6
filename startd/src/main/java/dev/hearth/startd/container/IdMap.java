package dev.hearth.startd.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One range of an id-mapped bind ({@link ServiceContainer#bindInto}): files owned on the host by
 * {@code hostId .. hostId+count-1} appear in the container as {@code containerId ..}. Ids that no
 * entry names keep their usual meaning: the container's own host ids are its ids, and any other id
 * shows as nobody.
 *
 * <p>For the {@code mount} effect (container-runtime.md §2.7), whose entries say that the other
 * package's id {@code fromId} should appear as {@code toId}, that is {@code new IdMap(otherBase +
 * fromId, toId, range)}, where {@code otherBase} is the other package's {@link ContainerIds}.
 */
public record IdMap(long hostId, long containerId, long count) {
  private static final long CONTAINER_IDS = ContainerIds.COUNT;

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

  /**
   * The map for a bind of files that belong to another container, whose ids are {@code owner}: each
   * of its ids shows here as the same container id (its root as our root), except where {@code
   * overrides} say otherwise; ids an override takes or gives, on either side, are left to it.
   */
  public static List<IdMap> ownedBy(ContainerIds owner, List<IdMap> overrides) {
    List<long[]> excluded = new ArrayList<>(); // container-side [from, to) the default must skip
    for (IdMap o : overrides) {
      long from = Math.max(0, o.hostId() - owner.base());
      long to = Math.min(CONTAINER_IDS, o.hostId() + o.count() - owner.base());
      if (from < to) {
        excluded.add(new long[] {from, to});
      }
      excluded.add(new long[] {o.containerId(), o.containerId() + o.count()});
    }
    excluded.sort(Comparator.comparingLong(r -> r[0]));
    List<IdMap> out = new ArrayList<>(overrides);
    long next = 0;
    for (long[] r : excluded) {
      if (r[0] > next) {
        out.add(new IdMap(owner.base() + next, next, r[0] - next));
      }
      next = Math.max(next, r[1]);
    }
    if (next < CONTAINER_IDS) {
      out.add(new IdMap(owner.base() + next, next, CONTAINER_IDS - next));
    }
    return List.copyOf(out);
  }
}
