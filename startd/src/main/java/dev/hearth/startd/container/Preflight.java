package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Containers#open} checks before touching anything, so that a missing tool or kernel
 * feature fails with a message that says what to install or enable, not with an errno later.
 */
final class Preflight {
  private static final List<String> TOOLS =
      List.of("lxc-start", "lxc-stop", "lxc-info", "lxc-attach", "mount", "unshare", "ip");

  private Preflight() {}

  static void check(ContainerSettings s) {
    List<String> problems = new ArrayList<>();
    try {
      if (!Integer.valueOf(0)
          .equals(
              Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
        problems.add("containers need root (the daemon runs as root)");
      }
      for (String tool : TOOLS) {
        if (which(tool) == null) {
          problems.add(
              "no `"
                  + tool
                  + "` on "
                  + Command.ENVIRONMENT.get("PATH")
                  + " (Debian packages: lxc, util-linux, iproute2)");
        }
      }
      String filesystems = Files.readString(Path.of("/proc/filesystems"));
      for (String fs : List.of("squashfs", "overlay")) {
        if (!filesystems.contains("\t" + fs + "\n")) {
          problems.add("the kernel has no " + fs + " file system (modprobe " + fs + ")");
        }
      }
      if (!Files.exists(Path.of("/dev/loop-control"))) {
        problems.add("no /dev/loop-control: loop devices are needed for squashfs images");
      }
      Path userns = Path.of("/proc/sys/user/max_user_namespaces");
      if (Files.exists(userns) && Files.readString(userns).strip().equals("0")) {
        problems.add("user namespaces are disabled (sysctl user.max_user_namespaces=0)");
      }
      if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))
          && !(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
              && Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                  .contains("memory"))) {
        problems.add("no memory cgroup controller (v1 memory hierarchy or v2 with memory)");
      }
      subordinateIds(problems);
      traversable(s.lxcPath(), problems);
      traversable(s.mountRoot(), problems);
      if (!Files.isRegularFile(s.runtimeImage())) {
        problems.add("the runtime image " + s.runtimeImage() + " does not exist");
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.LXC, "cannot check the host for containers: " + e, e);
    }
    if (!problems.isEmpty()) {
      throw new StartException(
          ErrorKind.LXC, "this host cannot run containers: " + String.join("; ", problems));
    }
  }

  /**
   * With the {@code uidmap} package installed, LXC maps ids through {@code newuidmap}, which needs
   * root's range in {@code /etc/subuid} and {@code /etc/subgid}; without it, LXC (as root) writes
   * the map itself (lab §9).
   */
  private static void subordinateIds(List<String> problems) throws IOException {
    if (which("newuidmap") == null) {
      return;
    }
    for (String file : List.of("/etc/subuid", "/etc/subgid")) {
      Path p = Path.of(file);
      boolean ok =
          Files.exists(p)
              && Files.readAllLines(p).stream()
                  .map(l -> l.strip().split(":"))
                  .anyMatch(f ->
                      f.length == 3
                          && (f[0].equals("root") || f[0].equals("0"))
                          && f[1].matches("[0-9]{1,10}")
                          && f[2].matches("[0-9]{1,10}")
                          && Long.parseLong(f[1]) <= ContainerIds.FIRST_BASE
                          && Long.parseLong(f[1]) + Long.parseLong(f[2])
                              >= ContainerIds.FIRST_BASE + ContainerIds.SPAN);
      if (!ok) {
        problems.add(
            "package uidmap is installed, so "
                + file
                + " needs the line root:"
                + ContainerIds.FIRST_BASE
                + ":"
                + ContainerIds.SPAN
                + " (or remove uidmap)");
      }
    }
  }

  /**
   * Container root (its range's base, an "other" to the host) must be able to traverse every
   * directory above its rootfs and binds: LXC refuses to start otherwise ("Could not access …").
   */
  private static void traversable(Path dir, List<String> problems) throws IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)
          && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        problems.add(
            "containers run as uids from "
                + ContainerIds.FIRST_BASE
                + ", which cannot traverse "
                + p
                + " on the way to "
                + dir
                + " (chmod o+x "
                + p
                + ")");
      }
    }
  }

  static @Nullable Path which(String tool) {
    for (String dir : Command.ENVIRONMENT.get("PATH").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
