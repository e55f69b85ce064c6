package dev.hearth.startd.container;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A container's root file system: an overlay whose lower layer is the runtime image, id-mapped to
 * this container's ids (a copy of the one mount all containers share), and whose upper layer is the
 * container's own, then made {@code rshared} so that mounts the host adds later propagate into the
 * running container (lab §9). Before the start, the identity files the runtime expects
 * (container-runtime.md §3.1) are written into it.
 */
final class Rootfs {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Rootfs() {}

  static void mount(Host host, ContainerDirs dirs, ContainerIds ids) {
    Path runtime = Ownership.hostDir(dirs.mount("runtime"));
    try (Fd copy =
        host.mounts().clone(host.runtimeImage(), host.userns().of(ids), Access.READ_ONLY, false)) {
      host.mounts().attach(copy, runtime);
    }
    Ownership.containerDir(dirs.upper("rootfs"), ids);
    Ownership.hostDir(dirs.work("rootfs"));
    Ownership.hostDir(dirs.rootfs());
    try (Fd overlay = host.mounts().overlay(runtime, dirs.upper("rootfs"), dirs.work("rootfs"))) {
      host.mounts().attach(overlay, dirs.rootfs());
    }
    host.mounts().makeShared(dirs.rootfs());
  }

  /**
   * Writes hostname, hosts, machine-id, resolv.conf and locale, the spec's files, and creates every
   * mount point owned by container root.
   */
  static void populate(
      Host host,
      ContainerDirs dirs,
      ContainerIds ids,
      String hostname,
      List<ContainerMount.File> files,
      List<ContainerPath> mountPoints) {
    Inet4Address nameserver = host.net().subnet().host();
    byte[] machineId = new byte[16];
    RANDOM.nextBytes(machineId);
    try (Fd root = host.inRoot().openRoot(dirs.rootfs())) {
      write(host, root, ids, "/etc/hostname", hostname + "\n");
      write(host, root, ids, "/etc/hosts", hosts(hostname));
      write(host, root, ids, "/etc/machine-id", HexFormat.of().formatHex(machineId) + "\n");
      write(
          host, root, ids, "/etc/resolv.conf", "nameserver " + nameserver.getHostAddress() + "\n");
      write(host, root, ids, "/etc/default/locale", "LANG=C.UTF-8\n");
      for (ContainerMount.File f : files) {
        host.inRoot().writeFile(root, f.at(), f.content(), ids);
      }
      for (ContainerPath p : mountPoints) {
        host.inRoot().directory(root, p, ids).close();
      }
    }
  }

  /** An {@code /etc/hosts} naming this host (container-runtime.md §2.7, create-fs). */
  static String hosts(String hostname) {
    return "127.0.0.1\tlocalhost\n127.0.1.1\t"
        + hostname
        + "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
  }

  private static void write(Host host, Fd root, ContainerIds ids, String path, String content) {
    host.inRoot()
        .writeFile(root, ContainerPath.of(path), content.getBytes(StandardCharsets.UTF_8), ids);
  }
}
