package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts made into a running container: subcontainer root file systems and id-mapped binds. Each is
 * built detached, then attached with {@code move_mount} onto a directory that {@link InRoot}
 * resolved inside the container's root, and reaches the container through the rootfs's shared
 * propagation. We keep the mount's descriptor and unmount through {@code /proc/self/fd/N}, so
 * neither direction ever walks a path the container controls. Calls are serialised by one lock per
 * container (each is a few mount calls; destroying a subcontainer also runs one {@code
 * lxc-attach}).
 */
final class HotMounts {
  private static final Logger log = LoggerFactory.getLogger(HotMounts.class);
  private static final Pattern GUID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Duration UMOUNT_LIMIT = Duration.ofSeconds(10);

  /**
   * Subcontainers, and binds, one container may have at once: each is a mount (and for a
   * subcontainer, layers on disk). A real package has a handful; a hostile one must not fill the
   * host's mount table (issue 10).
   */
  static final int MAX_EACH = 256;

  private record Bound(ContainerPath at, Fd mount) {}

  /** A directory's identity: device and inode numbers. */
  private record FileId(Object dev, Object ino) {
    static @Nullable FileId of(Path p) {
      try {
        return new FileId(Files.getAttribute(p, "unix:dev"), Files.getAttribute(p, "unix:ino"));
      } catch (IOException | SecurityException e) {
        return null; // a process that is gone, or a kernel thread
      }
    }
  }

  /** A subcontainer; {@code root} identifies its root directory as a process's root. */
  private record Sub(String guid, ContainerPath at, Fd mount, FileId root) {}

  private final Host host;
  private final ContainerDirs dirs;
  private final String name;
  private final Map<ContainerPath, Path> images;
  private final ContainerIds ids;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<ContainerPath, Bound> binds = new HashMap<>(); // guarded by lock
  private final Map<String, Sub> subs = new HashMap<>(); // guarded by lock
  private boolean closed; // guarded by lock

  HotMounts(
      Host host,
      ContainerDirs dirs,
      String name,
      ContainerIds ids,
      Map<ContainerPath, Path> images) {
    this.host = host;
    this.dirs = dirs;
    this.name = name;
    this.ids = ids;
    this.images = Map.copyOf(images);
  }

  ContainerPath subcontainerFs(ContainerPath imageAt, String guid, String hostname) {
    if (!GUID.matcher(guid).matches()) {
      throw new StartException(
          ErrorKind.INVALID_ID, "a subcontainer guid must be 1..64 of [A-Za-z0-9_-]: " + guid);
    }
    ContainerSpec.checkHostname(hostname);
    Path lower = images.get(imageAt);
    if (lower == null) {
      throw new StartException(
          ErrorKind.NOT_FOUND, "container " + name + " has no image mounted at " + imageAt);
    }
    ContainerPath at = Layout.SUBCONTAINERS.resolve(guid);
    String layer = "sub-" + guid;
    lock.lock();
    try {
      open();
      if (subs.containsKey(guid)) {
        throw new StartException(
            ErrorKind.DUPLICATE, "container " + name + " already has subcontainer " + guid);
      }
      if (subs.size() >= MAX_EACH) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST,
            "container " + name + " has " + MAX_EACH + " subcontainers, the most it may have");
      }
      Path layerDir = dirs.upper(layer).getParent();
      Fd overlay = null;
      try {
        Path upper = Ownership.containerDir(dirs.upper(layer), ids);
        Ownership.containerDir(upper.resolve("etc"), ids);
        Ownership.containerFile(upper.resolve("etc/hostname"), hostname + "\n", ids);
        Ownership.containerFile(upper.resolve("etc/hosts"), Rootfs.hosts(hostname), ids);
        overlay = host.mounts().overlay(lower, upper, Ownership.hostDir(dirs.work(layer)));
        FileId id = FileId.of(Path.of(overlay.procPath()));
        if (id == null) {
          throw new StartException(ErrorKind.FILESYSTEM, "cannot stat the new overlay");
        }
        try (Fd root = host.inRoot().openRoot(dirs.rootfs());
            Fd target = host.inRoot().directory(root, at, ids)) {
          host.mounts().attach(overlay, target, at);
        }
        subs.put(guid, new Sub(guid, at, overlay, id));
        return at;
      } catch (RuntimeException e) {
        if (overlay != null) {
          overlay.close();
        }
        FileTrees.delete(layerDir);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Kills the processes whose root is the subcontainer (its PID 1 first among them, which ends its
   * PID namespace), unmounts it inside the container (with the {@code /proc}, {@code /dev} and
   * volume mounts the runtime put on it there) and on the host, and deletes its layers.
   *
   * @return false if no such subcontainer (container-runtime.md §2.7: only a warning)
   */
  boolean destroySubcontainerFs(String guid) {
    lock.lock();
    try {
      Sub sub = subs.remove(guid);
      if (sub == null) {
        return false;
      }
      for (Bound b : List.copyOf(binds.values())) {
        if (sub.at().contains(b.at())) {
          drop(b);
        }
      }
      try {
        kill(sub);
        if (!closed) {
          // The runtime's own mounts on it exist only in the container's namespace: unmounting
          // there is the container root's business, so it runs as that root, with its tools.
          // The SDK rbinds the container's /dev and /sys into every subcontainer; those binds are
          // peers of the container's own mounts, so an unmount would propagate and take the
          // container's /dev/null (and the rest of LXC's binds under /dev) with it, and every
          // later subcontainer would get a /dev its non-root users cannot open. Made private
          // first, the tree goes alone.
          Command.Result p =
              host.lxc()
                  .run(name, List.of("mount", "--make-rprivate", sub.at().value()), UMOUNT_LIMIT);
          if (!p.ok()) {
            log.debug("container {}: make-rprivate of {} inside: {}", name, sub.at(), p.tail());
          }
          Command.Result r =
              host.lxc().run(name, List.of("umount", "-l", sub.at().value()), UMOUNT_LIMIT);
          if (!r.ok()) {
            log.debug("container {}: umount of {} inside: {}", name, sub.at(), r.tail());
          }
        }
        host.mounts().detach(sub.mount().procPath(), sub.at().value());
      } finally {
        sub.mount().close();
      }
      FileTrees.delete(dirs.upper("sub-" + guid).getParent());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Binds {@code subpath} of {@code dir} at {@code at}, replacing what we mounted there before. The
   * subpath is resolved beneath {@code dir} ({@link InRoot#beneath}).
   */
  void bindInto(Path dir, String subpath, ContainerPath at, Access access, List<IdMap> idmap) {
    if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
      throw new StartException(
          ErrorKind.NOT_FOUND, "the directory " + dir + " to mount does not exist");
    }
    for (ContainerPath reserved : List.of(Layout.RPC, Layout.LOGS)) {
      if (reserved.contains(at) || at.contains(reserved)) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST, "cannot mount at " + at + ": it overlaps " + reserved);
      }
    }
    if (at.contains(Layout.SUBCONTAINERS)) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "cannot mount at " + at + ": it holds the subcontainers");
    }
    List<UserNamespaces.Range> ranges;
    try {
      ranges = idmap.isEmpty() ? List.of() : UserNamespaces.identityWith(idmap, ids);
    } catch (IllegalArgumentException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, e.getMessage(), e);
    }
    lock.lock();
    try {
      open();
      for (Sub s : subs.values()) {
        if (s.at().equals(at)) {
          throw new StartException(
              ErrorKind.INVALID_REQUEST, "cannot mount over subcontainer " + s.guid());
        }
      }
      Bound old = binds.remove(at);
      if (old != null) {
        drop(old);
      } else if (binds.size() >= MAX_EACH) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST,
            "container " + name + " has " + MAX_EACH + " mounts of ours, the most it may have");
      }
      Fd tree;
      try (Fd source = host.inRoot().beneath(dir, subpath);
          Fd ns = ranges.isEmpty() ? null : host.userns().create(ranges)) {
        tree = host.mounts().clone(source, dir + "/" + subpath, ns, access);
      }
      try (Fd root = host.inRoot().openRoot(dirs.rootfs());
          Fd target = host.inRoot().directory(root, at, ids)) {
        host.mounts().attach(tree, target, at);
        binds.put(at, new Bound(at, tree));
      } catch (RuntimeException e) {
        tree.close();
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Unmounts what {@link #bindInto} put at {@code at}; false if nothing. */
  boolean unmount(ContainerPath at) {
    lock.lock();
    try {
      Bound b = binds.remove(at);
      if (b == null) {
        return false;
      }
      drop(b);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Unmounts everything; the container has stopped, so no process is left to kill. */
  void close() {
    lock.lock();
    try {
      closed = true;
      List<Bound> all = new ArrayList<>(binds.values());
      all.sort(Comparator.comparingInt((Bound b) -> b.at().names().size()).reversed());
      all.forEach(this::drop);
      binds.clear();
      for (String guid : List.copyOf(subs.keySet())) {
        destroySubcontainerFs(guid);
      }
    } finally {
      lock.unlock();
    }
  }

  private void drop(Bound b) {
    binds.remove(b.at());
    try {
      host.mounts().detach(b.mount().procPath(), b.at().value());
    } finally {
      b.mount().close();
    }
  }

  private void open() {
    if (closed) {
      throw new StartException(ErrorKind.LXC, "container " + name + " is closed");
    }
  }

  /** SIGKILLs every process whose root directory is the subcontainer's. */
  private static void kill(Sub sub) {
    List<ProcessHandle> victims = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        if (sub.root().equals(FileId.of(p.resolve("root")))) {
          ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(victims::add);
        }
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot list /proc: " + e, e);
    }
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle v : victims) {
      v.onExit().orTimeout(2, TimeUnit.SECONDS).exceptionally(t -> v).join();
    }
  }
}
