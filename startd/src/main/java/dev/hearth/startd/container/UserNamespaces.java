package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * User namespaces that carry an id mapping, for {@code MOUNT_ATTR_IDMAP}. A multi-threaded JVM
 * cannot {@code unshare(CLONE_NEWUSER)}, so a helper process ({@code unshare --user sleep}) makes
 * the namespace; we write its maps ourselves (root may write any map, so no {@code uidmap} package
 * or {@code /etc/subuid} is involved), open {@code /proc/<pid>/ns/user} and end the helper: the
 * open descriptor keeps the namespace alive. The map of each container's range (0 → base × 65536)
 * is made once per range and kept (a service keeps its range across restarts); others are made per
 * call and closed by the caller.
 */
final class UserNamespaces implements AutoCloseable {
  private static final long HELPER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * One line of a {@code uid_map}/{@code gid_map}: on-disk ids {@code inside..} appear on the host
   * as {@code outside..} through a mount id-mapped with this namespace.
   */
  record Range(long inside, long outside, long count) {}

  private final Syscalls sys;
  private final Map<ContainerIds, Fd> ranges = new HashMap<>(); // guarded by this

  UserNamespaces(Syscalls sys) {
    this.sys = sys;
  }

  /**
   * The namespace that maps on-disk 0..65535 to the container's {@code base..base+65535}, for
   * images its root must own. Kept until {@link #close}: do not close it.
   */
  synchronized Fd of(ContainerIds ids) {
    Fd fd = ranges.get(ids);
    if (fd == null) {
      fd = create(List.of(new Range(0, ids.base(), ContainerIds.COUNT)));
      ranges.put(ids, fd);
    }
    return fd;
  }

  /**
   * The ranges for a bind into the container of {@code ids} whose ids keep their meaning except
   * where {@code extra} says otherwise: identity everywhere, minus the ids the extra entries take
   * from or give to.
   */
  static List<Range> identityWith(List<IdMap> extra, ContainerIds ids) {
    List<long[]> taken = new ArrayList<>(); // [from, to) ranges removed from the identity
    List<Range> out = new ArrayList<>();
    for (IdMap m : extra) {
      long outside = ids.base() + m.containerId();
      taken.add(new long[] {m.hostId(), m.hostId() + m.count()});
      taken.add(new long[] {outside, outside + m.count()});
      out.add(new Range(m.hostId(), outside, m.count()));
    }
    taken.sort((a, b) -> Long.compare(a[0], b[0]));
    long next = 0;
    long end = 0xFFFF_FFFFL; // ids 0 .. 2^32-2; (uid_t) -1 is never mapped
    for (long[] t : taken) {
      if (t[0] > next) {
        out.add(new Range(next, next, t[0] - next));
      }
      next = Math.max(next, t[1]);
    }
    if (next < end) {
      out.add(new Range(next, next, end - next));
    }
    for (int i = 0; i < extra.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (overlaps(extra.get(i), extra.get(j))) {
          throw new IllegalArgumentException(
              "idmap entries overlap: " + extra.get(j) + " and " + extra.get(i));
        }
      }
    }
    return out;
  }

  private static boolean overlaps(IdMap a, IdMap b) {
    boolean host = a.hostId() < b.hostId() + b.count() && b.hostId() < a.hostId() + a.count();
    boolean cont =
        a.containerId() < b.containerId() + b.count()
            && b.containerId() < a.containerId() + a.count();
    return host || cont;
  }

  /** A new namespace with {@code ranges} as both its uid and gid map. The caller closes it. */
  Fd create(List<Range> ranges) {
    String map =
        ranges.stream()
            .map(r -> r.inside() + " " + r.outside() + " " + r.count())
            .collect(Collectors.joining("\n", "", "\n"));
    Process helper = null;
    try {
      ProcessBuilder pb = new ProcessBuilder("unshare", "--user", "--", "sleep", "60");
      pb.environment().clear();
      pb.environment().putAll(Command.ENVIRONMENT);
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      helper = pb.start();
      Path proc = Path.of("/proc", Long.toString(helper.pid()));
      String ours = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
      long deadline = System.nanoTime() + HELPER_WAIT_NANOS;
      while (Files.readSymbolicLink(proc.resolve("ns/user")).toString().equals(ours)) {
        if (!helper.isAlive() || System.nanoTime() > deadline) {
          throw new StartException(
              ErrorKind.UNKNOWN,
              "`unshare --user` did not make a user namespace (are user namespaces enabled?)");
        }
        Thread.sleep(1);
      }
      Files.writeString(proc.resolve("uid_map"), map);
      Files.writeString(proc.resolve("gid_map"), map);
      int fd = sys.open(proc.resolve("ns/user").toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
      try {
        return new Fd(sys, sys.check(fd, "opening the id-map user namespace"));
      } catch (SyscallException e) {
        throw new StartException(ErrorKind.FILESYSTEM, e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot make an id-map user namespace: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted making a user namespace", e);
    } finally {
      if (helper != null) {
        helper.destroyForcibly();
        try {
          helper.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    ranges.values().forEach(Fd::close);
    ranges.clear();
  }
}
