package dev.hearth.startd.container;

import static dev.hearth.startd.container.Syscalls.AT_FDCWD;
import static dev.hearth.startd.container.Syscalls.AT_RECURSIVE;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mount operations containers are made of. New mounts are built detached (an {@link Fd} from
 * {@code open_tree} or {@code fsmount}), given their attributes while nobody can see them, then
 * attached with {@code move_mount}: to a host path we own, or to a descriptor that {@link InRoot}
 * resolved inside a container's root, so that no container-controlled path is ever walked by the
 * host. Squashfs loop mounts use util-linux {@code mount}, which sets up the loop device with
 * autoclear: it goes away with the file system's last mount.
 *
 * <p>Every mount made here is {@code nodev} and {@code nosuid}: a container's files come from its
 * package and its own writes, so a device node in them must never reach a host device and a setuid
 * bit must never raise anyone (issue 10). The kernel keeps both flags on every copy a container
 * makes of these mounts, and a user namespace cannot clear them.
 */
final class Mounts {
  private static final Duration MOUNT_LIMIT = Duration.ofSeconds(30);

  /** What every mount of ours carries. */
  static final long SAFE = Syscalls.MOUNT_ATTR_NODEV | Syscalls.MOUNT_ATTR_NOSUID;

  private final Syscalls sys;

  Mounts(Syscalls sys) {
    this.sys = sys;
  }

  Syscalls sys() {
    return sys;
  }

  /** Mounts {@code length} bytes of {@code file} from {@code offset} as a read-only squashfs. */
  void loopSquashfs(Path file, long offset, long length, Path target) {
    Command.require(
        ErrorKind.FILESYSTEM,
        MOUNT_LIMIT,
        "mounting the squashfs at " + offset + "+" + length + " of " + file,
        List.of(
            "mount",
            "-t",
            "squashfs",
            "-o",
            "loop,ro,nodev,nosuid,offset=" + offset + ",sizelimit=" + length,
            file.toString(),
            target.toString()));
  }

  /**
   * A detached copy of the mount at {@code source} (with its submounts when {@code recursive}),
   * id-mapped through {@code userns} when one is given, read-only when asked.
   */
  Fd clone(Path source, @Nullable Fd userns, Access access, boolean recursive) {
    int rec = recursive ? AT_RECURSIVE : 0;
    Fd tree =
        new Fd(
            sys,
            call(
                sys.openTree(
                    AT_FDCWD,
                    source.toString(),
                    Syscalls.OPEN_TREE_CLONE | Syscalls.O_CLOEXEC | rec),
                "cloning the mount at " + source));
    return withAttributes(tree, source.toString(), userns, access, rec);
  }

  /** Like {@link #clone(Path, Fd, Access, boolean)}, of the directory {@code source} refers to. */
  Fd clone(Fd source, String what, @Nullable Fd userns, Access access) {
    Fd tree =
        new Fd(
            sys,
            call(
                sys.openTree(
                    source.value(),
                    "",
                    Syscalls.OPEN_TREE_CLONE | Syscalls.O_CLOEXEC | Syscalls.AT_EMPTY_PATH),
                "cloning " + what));
    return withAttributes(tree, what, userns, access, 0);
  }

  private Fd withAttributes(Fd tree, String source, @Nullable Fd userns, Access access, int rec) {
    try {
      long set =
          SAFE
              | (userns != null ? Syscalls.MOUNT_ATTR_IDMAP : 0)
              | (access == Access.READ_ONLY ? Syscalls.MOUNT_ATTR_RDONLY : 0);
      call(
          sys.mountSetattr(tree.value(), rec, set, 0, 0, userns == null ? -1 : userns.value()),
          "setting attributes on the copy of " + source);
      return tree;
    } catch (RuntimeException e) {
      tree.close();
      throw e;
    }
  }

  /** A detached overlay of {@code lower} (read-only) under {@code upper}, with its work dir. */
  Fd overlay(Path lower, Path upper, Path work) {
    String what = "mounting an overlay of " + lower + " under " + upper;
    try (Fd fs = new Fd(sys, call(sys.fsopen("overlay"), what))) {
      call(sys.fsconfigString(fs.value(), "source", "hearth"), what);
      call(sys.fsconfigString(fs.value(), "lowerdir", lower.toString()), what + " (lowerdir)");
      call(sys.fsconfigString(fs.value(), "upperdir", upper.toString()), what + " (upperdir)");
      call(sys.fsconfigString(fs.value(), "workdir", work.toString()), what + " (workdir)");
      call(sys.fsconfigCreate(fs.value()), what);
      return new Fd(sys, call(sys.fsmount(fs.value(), SAFE), what));
    }
  }

  /** Attaches a detached mount at a host path of ours. */
  void attach(Fd tree, Path target) {
    call(
        sys.moveMount(
            tree.value(), "", AT_FDCWD, target.toString(), Syscalls.MOVE_MOUNT_F_EMPTY_PATH),
        "attaching a mount at " + target);
  }

  /** Attaches a detached mount onto the directory {@code target} refers to. */
  void attach(Fd tree, Fd target, ContainerPath where) {
    call(
        sys.moveMount(
            tree.value(),
            "",
            target.value(),
            "",
            Syscalls.MOVE_MOUNT_F_EMPTY_PATH | Syscalls.MOVE_MOUNT_T_EMPTY_PATH),
        "attaching a mount at " + where);
  }

  /** Binds {@code dir} onto itself, so that it is a mount point we can set propagation on. */
  void bindOntoItself(Path dir) {
    try (Fd tree = clone(dir, null, Access.READ_WRITE, false)) {
      attach(tree, dir);
    }
  }

  /** Makes the mount at {@code mountPoint} and everything below it shared. */
  void makeShared(Path mountPoint) {
    String what = "making " + mountPoint + " a shared mount";
    try (Fd fd =
        new Fd(
            sys,
            call(
                sys.open(
                    mountPoint.toString(),
                    Syscalls.O_PATH
                        | Syscalls.O_DIRECTORY
                        | Syscalls.O_NOFOLLOW
                        | Syscalls.O_CLOEXEC),
                what))) {
      call(sys.mountSetattr(fd.value(), AT_RECURSIVE, 0, 0, Syscalls.MS_SHARED, -1), what);
    }
  }

  /**
   * Lazily detaches the mount whose root {@code path} names, with everything below it. The path may
   * be a {@code /proc/self/fd/N} of a descriptor of that root, which is how mounts inside a
   * container's root are detached without resolving a path there.
   *
   * @return false if nothing is mounted there (any more)
   */
  boolean detach(String path, String what) {
    int rc = sys.umount2(path, Syscalls.MNT_DETACH);
    if (rc == -Syscalls.EINVAL || rc == -Syscalls.ENOENT) {
      return false;
    }
    call(rc, "unmounting " + what);
    return true;
  }

  private int call(int rc, String what) {
    try {
      return sys.check(rc, what);
    } catch (SyscallException e) {
      throw new StartException(ErrorKind.FILESYSTEM, e.getMessage(), e);
    }
  }
}
