package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and removes what containers leave on the host: after a crash of the daemon (clean-up at
 * {@link Containers#open}) and, for tests, after a close ({@link Containers#leftovers}). Everything
 * in the LXC path and the mount root is ours; a container is recognised by name (its directory),
 * and through the name by its cgroups and veth.
 */
final class Leftovers {
  private static final Logger log = LoggerFactory.getLogger(Leftovers.class);
  static final String RUNTIME = ".runtime"; // a dot: no container can have this name
  static final String INSPECT = ".inspect-"; // an image being looked at (Containers.inspect)

  /** What a sweep found: container names and the files they had loop-mounted. */
  record Found(Set<String> names, Set<Path> loopFiles) {}

  private Leftovers() {}

  /**
   * Removes every container of a previous run: kills it, unmounts, removes cgroups, veths and
   * directories.
   *
   * @throws StartException ({@link ErrorKind#LXC}) if the LXC path holds a container config we did
   *     not write (a misconfigured path must not cost someone their containers)
   */
  static Found sweep(
      ContainerSettings s, Mounts mounts, Cgroups cgroups, Lxc lxc, ContainerNetwork net) {
    Set<String> names = new TreeSet<>();
    Set<Path> files = new TreeSet<>();
    for (Path d : children(s.lxcPath())) {
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path config = d.resolve("config");
      if (Files.exists(config) && !firstLine(config).equals(LxcConfig.MARKER)) {
        throw new StartException(
            ErrorKind.LXC,
            "the LXC path "
                + s.lxcPath()
                + " holds a container we did not make ("
                + d.getFileName()
                + "): refusing to clean it up; give startd a directory of its own");
      }
      names.add(d.getFileName().toString());
    }
    for (Path d : children(s.mountRoot())) {
      String n = d.getFileName().toString();
      if (!n.startsWith(".")) {
        names.add(n);
      }
    }
    for (String name : names) {
      log.warn("container {} was left by an earlier run: removing it", name);
      ContainerDirs dirs = ContainerDirs.of(s, name);
      if (Files.exists(dirs.config())) {
        lxc.kill(name);
      }
      if (Files.exists(dirs.loopFiles())) {
        try {
          Files.readAllLines(dirs.loopFiles()).forEach(l -> files.add(Path.of(l)));
        } catch (IOException e) {
          log.warn("cannot read {}: {}", dirs.loopFiles(), e.toString());
        }
      }
      ServiceContainer.detachAll(mounts, dirs.mounts());
      cgroups.remove(name);
      String veth = net.veth(name);
      if (net.veths().contains(veth)) {
        net.deleteVeth(veth);
      }
    }
    ServiceContainer.detachAll(mounts, s.mountRoot());
    for (Path d : children(s.mountRoot())) {
      FileTrees.delete(d);
    }
    for (Path d : children(s.lxcPath())) {
      if (!d.getFileName().toString().equals(ContainerNetwork.HOOK)) {
        FileTrees.delete(d);
      }
    }
    return new Found(names, files);
  }

  /**
   * What is on the host that should not be, given which containers are {@code live} and whether the
   * shared runtime mount is expected ({@code open}).
   */
  static List<String> list(
      ContainerSettings s,
      Cgroups cgroups,
      ContainerNetwork net,
      Set<String> live,
      Set<String> known,
      Set<Path> loopFiles,
      boolean open) {
    List<String> out = new ArrayList<>();
    List<Path> expected = new ArrayList<>();
    live.forEach(n -> expected.add(s.mountRoot().resolve(n)));
    if (open) {
      expected.add(s.mountRoot().resolve(RUNTIME));
    }
    List<MountTable.Mount> table = MountTable.read();
    for (MountTable.Mount m : table) {
      Path p = m.mountPoint();
      boolean ours = p.startsWith(s.mountRoot()) || p.startsWith(s.lxcPath());
      boolean root = p.equals(s.mountRoot()) && open;
      if (ours && !root && expected.stream().noneMatch(p::startsWith)) {
        out.add("mount " + p + " (" + m.type() + " " + m.source() + ")");
      }
    }
    // A loop device on one of our files that no mount here uses is held by nobody we can see: a
    // copy of a mount in another mount namespace pins it (lab §1). One that a mount uses is either
    // live, reported above as a mount, or someone else's use of the same file.
    Set<String> inUse = new TreeSet<>();
    table.forEach(m -> inUse.add(m.source()));
    for (Path dev : children(Path.of("/sys/block"))) {
      Path backing = dev.resolve("loop/backing_file");
      if (!Files.exists(backing)) {
        continue;
      }
      String file = firstLine(backing);
      String device = "/dev/" + dev.getFileName();
      boolean ourFile = loopFiles.contains(Path.of(file)) || Path.of(file).equals(s.runtimeImage());
      if (ourFile && !inUse.contains(device)) {
        out.add("loop device " + device + " backing " + file);
      }
    }
    for (String name : known) {
      if (!live.contains(name)) {
        cgroups.of(name).forEach(c -> out.add("cgroup " + c));
      }
    }
    Set<String> liveVeths = new TreeSet<>();
    live.forEach(n -> liveVeths.add(net.veth(n)));
    for (String v : net.veths()) {
      if (!liveVeths.contains(v)) {
        out.add("veth " + v);
      }
    }
    for (Path d : children(s.lxcPath())) {
      String n = d.getFileName().toString();
      if (!live.contains(n) && !(open && n.equals(ContainerNetwork.HOOK))) {
        out.add("directory " + d);
      }
    }
    for (Path d : children(s.mountRoot())) {
      String n = d.getFileName().toString();
      if (!live.contains(n) && !(open && n.equals(RUNTIME))) {
        out.add("directory " + d);
      }
    }
    return out;
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot list " + dir + ": " + e, e);
    }
  }

  private static String firstLine(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.findFirst().orElse("").strip();
    } catch (IOException e) {
      return "";
    }
  }
}
