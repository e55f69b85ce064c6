package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The containers' cgroups, which LXC makes at the root of each hierarchy as {@code
 * lxc.payload.<name>} (the container) and {@code lxc.monitor.<name>} (its monitor). The layout is
 * detected once: unified (cgroup v2 only) when {@code /sys/fs/cgroup} is itself a cgroup2 mount
 * offering the memory controller, otherwise legacy or hybrid (v1 controllers, perhaps with an
 * almost empty {@code unified} tree beside them, as on the project's machines).
 */
final class Cgroups {
  private static final long V1_UNLIMITED = 0x7FFF_FFFF_FFFF_F000L; // v1's "no limit", page aligned

  private final Path root;
  private final boolean unified;

  private Cgroups(Path root, boolean unified) {
    this.root = root;
    this.unified = unified;
  }

  static Cgroups detect(Path root) {
    Path controllers = root.resolve("cgroup.controllers");
    boolean unified;
    try {
      unified =
          Files.exists(controllers)
              && List.of(Files.readString(controllers).strip().split(" ")).contains("memory")
              && !Files.exists(root.resolve("memory"));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + controllers, e);
    }
    return new Cgroups(root, unified);
  }

  boolean unified() {
    return unified;
  }

  /**
   * The memory and pids use of container {@code name}. Memory is the working set, as {@code docker
   * stats} and the kubelet count it: the cgroup's usage less its inactive file cache, which the
   * kernel takes back first. Raw usage would charge a service for every file it once read: a
   * running hello-world measured 104 MiB of usage, 38 MiB of working set.
   */
  Stats stats(String name) {
    String payload = "lxc.payload." + name;
    if (unified) {
      Path dir = root.resolve(payload);
      return new Stats(
          workingSet(number(dir.resolve("memory.current")), dir, "inactive_file"),
          number(dir.resolve("memory.max")),
          number(dir.resolve("pids.current")));
    }
    Path memory = root.resolve("memory").resolve(payload);
    long limit = number(memory.resolve("memory.limit_in_bytes"));
    return new Stats(
        workingSet(number(memory.resolve("memory.usage_in_bytes")), memory, "total_inactive_file"),
        limit >= V1_UNLIMITED ? Long.MAX_VALUE : limit,
        number(root.resolve("pids").resolve(payload).resolve("pids.current")));
  }

  /** {@code usage} less the {@code key} line of the cgroup's memory.stat, never below zero. */
  private static long workingSet(long usage, Path cgroup, String key) {
    Path stat = cgroup.resolve("memory.stat");
    try (Stream<String> lines = Files.lines(stat)) {
      long inactive =
          lines
              .filter(l -> l.startsWith(key + " "))
              .mapToLong(l -> Long.parseLong(l.substring(key.length() + 1).strip()))
              .findFirst()
              .orElse(0);
      return Math.max(0, usage - inactive);
    } catch (IOException | NumberFormatException e) {
      throw new StartException(ErrorKind.LXC, "cannot read the cgroup file " + stat + ": " + e, e);
    }
  }

  /** The cgroup directories of container {@code name} that exist now, in every hierarchy. */
  List<Path> of(String name) {
    List<Path> out = new ArrayList<>();
    for (Path hierarchy : hierarchies()) {
      for (String prefix : List.of("lxc.payload.", "lxc.monitor.")) {
        Path dir = hierarchy.resolve(prefix + name);
        if (Files.isDirectory(dir)) {
          out.add(dir);
        }
      }
    }
    return out;
  }

  /**
   * Removes what is left of container {@code name}'s cgroups (LXC sometimes leaves an empty monitor
   * cgroup behind, and a crashed run leaves everything). Only empty cgroups can go; a cgroup that
   * still has processes stays and is reported by {@link Containers#leftovers}.
   */
  void remove(String name) {
    for (Path dir : of(name)) {
      try (Stream<Path> tree = Files.walk(dir)) {
        for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(d); // rmdir: cgroupfs refuses a non-empty or busy cgroup
        }
      } catch (IOException e) {
        // still in use: leftovers() will show it
      }
    }
  }

  private List<Path> hierarchies() {
    if (unified) {
      return List.of(root);
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("cgroup.procs"))).toList();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot list " + root, e);
    }
  }

  private static long number(Path file) {
    try {
      String s = Files.readString(file).strip();
      return s.equals("max") ? Long.MAX_VALUE : Long.parseLong(s);
    } catch (IOException | NumberFormatException e) {
      throw new StartException(ErrorKind.LXC, "cannot read the cgroup file " + file + ": " + e, e);
    }
  }
}
