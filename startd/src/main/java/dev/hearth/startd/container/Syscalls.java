package dev.hearth.startd.container;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux calls the JDK has no API for, through FFM: the new mount API ({@code open_tree}, {@code
 * mount_setattr}, {@code move_mount}, {@code fsopen}/{@code fsconfig}/{@code fsmount}), {@code
 * openat2} (raw syscall 437, which glibc 2.36 does not wrap), the {@code *at} calls that work on
 * the descriptors it returns, {@code umount2} and {@code setns}.
 *
 * <p>Every method returns the call's result, or {@code -errno} when it failed, as the kernel does;
 * {@link #check} turns a failure into a {@link SyscallException}. Paths are passed as strings and
 * descriptors as ints: {@link Fd} owns them. One instance serves every thread: the handles are
 * immutable, and each call allocates in its own confined arena.
 *
 * <p>Constants are the generic Linux ones except the {@code O_*} open flags, which differ on
 * aarch64 (see {@code asm-generic/fcntl.h} and {@code arch/arm64/include/uapi/asm/fcntl.h}).
 */
final class Syscalls {
  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int AT_EMPTY_PATH = 0x1000;
  static final int AT_RECURSIVE = 0x8000;

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_CREAT = 0x40;
  static final int O_EXCL = 0x80;
  static final int O_TRUNC = 0x200;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int O_PATH = 0x200000;
  static final int O_DIRECTORY;
  static final int O_NOFOLLOW;

  static {
    boolean arm = System.getProperty("os.arch", "").equals("aarch64");
    O_DIRECTORY = arm ? 0x4000 : 0x10000;
    O_NOFOLLOW = arm ? 0x8000 : 0x20000;
  }

  static final long RESOLVE_NO_MAGICLINKS = 0x02;
  static final long RESOLVE_NO_SYMLINKS = 0x04;
  static final long RESOLVE_BENEATH = 0x08;
  static final long RESOLVE_IN_ROOT = 0x10;

  static final int OPEN_TREE_CLONE = 1;
  static final int MOVE_MOUNT_F_EMPTY_PATH = 0x04;
  static final int MOVE_MOUNT_T_EMPTY_PATH = 0x40;
  static final long MOUNT_ATTR_RDONLY = 0x1;
  static final long MOUNT_ATTR_NOSUID = 0x2;
  static final long MOUNT_ATTR_NODEV = 0x4;
  static final long MOUNT_ATTR_IDMAP = 0x100000;
  static final long MS_SHARED = 1L << 20;
  static final int FSOPEN_CLOEXEC = 1;
  static final int FSMOUNT_CLOEXEC = 1;
  static final int FSCONFIG_SET_STRING = 1;
  static final int FSCONFIG_CMD_CREATE = 6;
  static final int MNT_DETACH = 2;
  static final int UMOUNT_NOFOLLOW = 8;
  static final int CLONE_NEWNET = 0x40000000;

  static final int ENOENT = 2;
  static final int EEXIST = 17;
  static final int EXDEV = 18;
  static final int EINVAL = 22;
  static final int ELOOP = 40;

  private static final long SYS_OPENAT2 = 437; // the same number on every architecture since 5.6
  private static final long OPEN_HOW_SIZE = 24; // struct open_how { u64 flags, mode, resolve; }
  private static final long MOUNT_ATTR_SIZE = 32; // struct mount_attr: MOUNT_ATTR_SIZE_VER0

  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
  private static final MemoryLayout P = ValueLayout.ADDRESS;

  private final StructLayout callState = Linker.Option.captureStateLayout();
  private final VarHandle errno =
      callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private final MethodHandle open;
  private final MethodHandle close;
  private final MethodHandle openat2;
  private final MethodHandle mkdirat;
  private final MethodHandle fchownat;
  private final MethodHandle fchmodat;
  private final MethodHandle openTree;
  private final MethodHandle mountSetattr;
  private final MethodHandle moveMount;
  private final MethodHandle fsopen;
  private final MethodHandle fsconfig;
  private final MethodHandle fsmount;
  private final MethodHandle umount2;
  private final MethodHandle setns;
  private final MethodHandle strerror;

  Syscalls() {
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    Linker.Option errnoState = Linker.Option.captureCallState("errno");
    open = handle(linker, libc, "open", FunctionDescriptor.of(I, P, I, I), errnoState);
    close = handle(linker, libc, "close", FunctionDescriptor.of(I, I), errnoState);
    openat2 =
        handle(
            linker,
            libc,
            "syscall",
            FunctionDescriptor.of(J, J, J, P, P, J),
            errnoState,
            Linker.Option.firstVariadicArg(1));
    mkdirat = handle(linker, libc, "mkdirat", FunctionDescriptor.of(I, I, P, I), errnoState);
    fchownat =
        handle(linker, libc, "fchownat", FunctionDescriptor.of(I, I, P, I, I, I), errnoState);
    fchmodat = handle(linker, libc, "fchmodat", FunctionDescriptor.of(I, I, P, I, I), errnoState);
    openTree = handle(linker, libc, "open_tree", FunctionDescriptor.of(I, I, P, I), errnoState);
    mountSetattr =
        handle(linker, libc, "mount_setattr", FunctionDescriptor.of(I, I, P, I, P, J), errnoState);
    moveMount =
        handle(linker, libc, "move_mount", FunctionDescriptor.of(I, I, P, I, P, I), errnoState);
    fsopen = handle(linker, libc, "fsopen", FunctionDescriptor.of(I, P, I), errnoState);
    fsconfig =
        handle(linker, libc, "fsconfig", FunctionDescriptor.of(I, I, I, P, P, I), errnoState);
    fsmount = handle(linker, libc, "fsmount", FunctionDescriptor.of(I, I, I, I), errnoState);
    umount2 = handle(linker, libc, "umount2", FunctionDescriptor.of(I, P, I), errnoState);
    setns = handle(linker, libc, "setns", FunctionDescriptor.of(I, I, I), errnoState);
    strerror =
        linker.downcallHandle(libc.find("strerror").orElseThrow(), FunctionDescriptor.of(P, I));
  }

  private static MethodHandle handle(
      Linker linker,
      SymbolLookup libc,
      String name,
      FunctionDescriptor descriptor,
      Linker.Option... options) {
    MemorySegment symbol =
        libc.find(name)
            .orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name + " (glibc < 2.36?)"));
    return linker.downcallHandle(symbol, descriptor, options);
  }

  int open(String path, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) open.invokeExact(st, a.allocateFrom(path), flags, 0));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) close.invokeExact(st, fd));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  /** {@code openat2(dirfd, path, {flags, 0, resolve})}. */
  int openat2(int dirfd, String path, int flags, long resolve) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      MemorySegment how = a.allocate(OPEN_HOW_SIZE, 8);
      how.set(J, 0, flags & 0xffffffffL);
      how.set(J, 8, 0L);
      how.set(J, 16, resolve);
      long rc =
          (long)
              openat2.invokeExact(
                  st, SYS_OPENAT2, (long) dirfd, a.allocateFrom(path), how, OPEN_HOW_SIZE);
      return result(st, (int) rc);
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int mkdirat(int dirfd, String name, int mode) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) mkdirat.invokeExact(st, dirfd, a.allocateFrom(name), mode));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int fchownat(int dirfd, String name, int uid, int gid, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(
          st, (int) fchownat.invokeExact(st, dirfd, a.allocateFrom(name), uid, gid, flags));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  /**
   * {@code fchmodat(dirfd, name, mode, flags)}: with {@link #AT_SYMLINK_NOFOLLOW} glibc (2.32+)
   * changes {@code name} itself and refuses a symlink. Sets the mode exactly, whatever the umask.
   */
  int fchmodat(int dirfd, String name, int mode, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) fchmodat.invokeExact(st, dirfd, a.allocateFrom(name), mode, flags));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int openTree(int dirfd, String path, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) openTree.invokeExact(st, dirfd, a.allocateFrom(path), flags));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  /** {@code mount_setattr(fd, "", AT_EMPTY_PATH | flags, {set, clear, propagation, userns})}. */
  int mountSetattr(int fd, int flags, long set, long clear, long propagation, int usernsFd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      MemorySegment attr = a.allocate(MOUNT_ATTR_SIZE, 8);
      attr.set(J, 0, set);
      attr.set(J, 8, clear);
      attr.set(J, 16, propagation);
      attr.set(J, 24, usernsFd < 0 ? 0L : usernsFd);
      return result(
          st,
          (int)
              mountSetattr.invokeExact(
                  st, fd, a.allocateFrom(""), AT_EMPTY_PATH | flags, attr, MOUNT_ATTR_SIZE));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int moveMount(int fromFd, String fromPath, int toFd, String toPath, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(
          st,
          (int)
              moveMount.invokeExact(
                  st, fromFd, a.allocateFrom(fromPath), toFd, a.allocateFrom(toPath), flags));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int fsopen(String fsType) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) fsopen.invokeExact(st, a.allocateFrom(fsType), FSOPEN_CLOEXEC));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int fsconfigString(int fsFd, String key, String value) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(
          st,
          (int)
              fsconfig.invokeExact(
                  st, fsFd, FSCONFIG_SET_STRING, a.allocateFrom(key), a.allocateFrom(value), 0));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int fsconfigCreate(int fsFd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(
          st,
          (int)
              fsconfig.invokeExact(
                  st, fsFd, FSCONFIG_CMD_CREATE, MemorySegment.NULL, MemorySegment.NULL, 0));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int fsmount(int fsFd, long attrs) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) fsmount.invokeExact(st, fsFd, FSMOUNT_CLOEXEC, (int) attrs));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  int umount2(String path, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) umount2.invokeExact(st, a.allocateFrom(path), flags));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  /** Changes the calling thread's namespace: call it only on a thread that is yours alone. */
  int setns(int fd, int nsType) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(callState);
      return result(st, (int) setns.invokeExact(st, fd, nsType));
    } catch (Throwable t) {
      throw fatal(t);
    }
  }

  /** The C library's text for an errno value. */
  String describe(int errnoValue) {
    try {
      MemorySegment s = (MemorySegment) strerror.invokeExact(errnoValue);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errnoValue;
    }
  }

  /**
   * Returns {@code rc} when it is not negative; otherwise throws naming {@code what}.
   *
   * @throws SyscallException with the errno and its text
   */
  int check(int rc, String what) {
    if (rc < 0) {
      throw new SyscallException(what, -rc, describe(-rc));
    }
    return rc;
  }

  private int result(MemorySegment state, int rc) {
    return rc < 0 ? -(int) errno.get(state, 0L) : rc;
  }

  private static IllegalStateException fatal(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("native call failed", t);
  }
}
