package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Resolves container paths inside a container's root file system the way the container would,
 * whatever it has done to it. A running container's root controls the contents of its rootfs: it
 * can replace any directory with a symlink to {@code /} or to a host path. So the host never walks
 * a container path through the host's tree; it opens the rootfs once and resolves with {@code
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)}, where symlinks and {@code ..} are confined to
 * that root. What it creates there it creates with {@code mkdirat}/{@code fchownat} relative to a
 * descriptor resolved that way, and it reaches files through {@code /proc/self/fd/N/name} with
 * {@code O_NOFOLLOW}.
 */
final class InRoot {
  private static final int DIR_MODE = 0755;
  private static final int FILE_MODE = 0644;

  private final Syscalls sys;

  InRoot(Syscalls sys) {
    this.sys = sys;
  }

  /** Opens the root of a container's root file system, a host path of ours. */
  Fd openRoot(Path rootfs) {
    int fd =
        sys.open(
            rootfs.toString(),
            Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_NOFOLLOW | Syscalls.O_CLOEXEC);
    return new Fd(sys, check(fd, "opening the container root " + rootfs));
  }

  /**
   * An {@code O_PATH} descriptor of the directory {@code path} inside {@code root}. Missing
   * directories are created (mode 0755, owned by that container's root) when {@code createAs} is
   * given.
   *
   * @throws StartException ({@link ErrorKind#NOT_FOUND}) if it is missing and not to be created,
   *     ({@link ErrorKind#FILESYSTEM}) if it is not a directory or cannot be made
   */
  Fd directory(Fd root, ContainerPath path, @Nullable ContainerIds createAs) {
    int fd = resolve(root, path.relative());
    if (fd >= 0) {
      return new Fd(sys, fd);
    }
    if (fd != -Syscalls.ENOENT) {
      check(fd, "resolving " + path + " in the container");
    }
    if (createAs == null) {
      throw new StartException(ErrorKind.NOT_FOUND, "no directory " + path + " in the container");
    }
    Fd parent = new Fd(sys, check(sys.openat2(root.value(), ".", flags(), resolution()), "root"));
    String sofar = "";
    for (String name : path.names()) {
      sofar = sofar.isEmpty() ? name : sofar + "/" + name;
      int next = resolve(root, sofar);
      if (next == -Syscalls.ENOENT) {
        int rc = sys.mkdirat(parent.value(), name, DIR_MODE);
        if (rc == 0) {
          check(
              sys.fchownat(
                  parent.value(),
                  name,
                  createAs.root(),
                  createAs.root(),
                  Syscalls.AT_SYMLINK_NOFOLLOW),
              "giving /" + sofar + " to container root");
          // The daemon's umask is 077; a container's directories have the usual mode.
          check(
              sys.fchmodat(parent.value(), name, DIR_MODE, Syscalls.AT_SYMLINK_NOFOLLOW),
              "setting the mode of /" + sofar);
        } else if (rc != -Syscalls.EEXIST) {
          parent.close();
          check(rc, "creating /" + sofar + " in the container");
        }
        next = resolve(root, sofar);
      }
      parent.close();
      if (next == -Syscalls.ENOENT) {
        throw new StartException(
            ErrorKind.NOT_FOUND,
            "cannot create /" + sofar + " in the container: a dangling symlink is in the way");
      }
      parent = new Fd(sys, check(next, "resolving /" + sofar + " in the container"));
    }
    return parent;
  }

  /**
   * Writes {@code content} to the file {@code path} inside {@code root} (created or truncated, mode
   * 0644, owned by container root), creating its directory if needed. A symlink in its place is
   * refused rather than followed.
   */
  void writeFile(Fd root, ContainerPath path, byte[] content, ContainerIds owner) {
    String name = path.names().getLast();
    String dir = path.value().substring(0, path.value().length() - name.length() - 1);
    try (Fd parent =
        dir.isEmpty()
            ? new Fd(sys, check(sys.openat2(root.value(), ".", flags(), resolution()), "root"))
            : directory(root, ContainerPath.of(dir), owner)) {
      Path file = Path.of(parent.procPath(), name);
      if (Files.isSymbolicLink(file)) {
        Files.delete(file); // an image's resolv.conf may link elsewhere: replace the link itself
      }
      // Never chmod or chown by path afterwards: a symlink swapped in would be followed on the
      // host.
      try (var out =
          Files.newByteChannel(
              file,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          out.write(b);
        }
      }
      check(
          sys.fchownat(
              parent.value(), name, owner.root(), owner.root(), Syscalls.AT_SYMLINK_NOFOLLOW),
          "giving " + path + " to container root");
      check(
          sys.fchmodat(parent.value(), name, FILE_MODE, Syscalls.AT_SYMLINK_NOFOLLOW),
          "setting the mode of " + path);
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot write " + path + " in the container: " + e, e);
    }
  }

  /**
   * An {@code O_PATH} descriptor of the directory {@code subpath} below the trusted host directory
   * {@code dir}, where whoever owns {@code dir}'s contents (another package) controls the links:
   * resolution may not leave {@code dir} ({@code RESOLVE_BENEATH}: an absolute or climbing link is
   * an error, not a way out).
   */
  Fd beneath(Path dir, String subpath) {
    if (subpath.startsWith("/") || List.of(subpath.split("/")).contains("..")) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "a subpath must be relative, without \"..\": " + subpath);
    }
    try (Fd base =
        new Fd(
            sys,
            check(
                sys.open(
                    dir.toString(), Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC),
                "opening " + dir))) {
      int fd =
          sys.openat2(
              base.value(),
              subpath.isEmpty() ? "." : subpath,
              flags(),
              Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_MAGICLINKS);
      if (fd == -Syscalls.ENOENT) {
        throw new StartException(ErrorKind.NOT_FOUND, "no directory " + subpath + " in " + dir);
      }
      if (fd == -Syscalls.EXDEV) {
        throw new StartException(
            ErrorKind.FILESYSTEM, "the subpath " + subpath + " of " + dir + " links out of it");
      }
      return new Fd(sys, check(fd, "resolving " + subpath + " beneath " + dir));
    }
  }

  /**
   * Opens the file {@code name} directly in {@code dir} for reading, only if it is a regular file:
   * a symlink is never followed and a FIFO never waited on (its owner may be a container, which can
   * plant either). The descriptor returned reads that file even if the name is later replaced.
   *
   * @return empty if there is no such file
   * @throws StartException ({@link ErrorKind#FILESYSTEM}) if it is there but not a regular file
   */
  Optional<FileChannel> openRegular(Fd dir, String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a file name: " + name);
    }
    int fd =
        sys.openat2(
            dir.value(),
            name,
            Syscalls.O_RDONLY | Syscalls.O_NOFOLLOW | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC,
            Syscalls.RESOLVE_BENEATH
                | Syscalls.RESOLVE_NO_SYMLINKS
                | Syscalls.RESOLVE_NO_MAGICLINKS);
    if (fd == -Syscalls.ENOENT) {
      return Optional.empty();
    }
    if (fd == -Syscalls.ELOOP) {
      throw new StartException(
          ErrorKind.FILESYSTEM, name + " is a symbolic link, not a regular file: not followed");
    }
    try (Fd opened = new Fd(sys, check(fd, "opening " + name))) {
      // stat of the magic link is fstat of the descriptor: the file we hold, not a name.
      Path self = Path.of(opened.procPath());
      int mode = (Integer) Files.getAttribute(self, "unix:mode");
      if ((mode & S_IFMT) != S_IFREG) {
        throw new StartException(
            ErrorKind.FILESYSTEM,
            name + " is not a regular file (mode " + Integer.toOctalString(mode) + "): not read");
      }
      return Optional.of(FileChannel.open(self, StandardOpenOption.READ));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot open " + name + ": " + e, e);
    }
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;

  private int resolve(Fd root, String relative) {
    return sys.openat2(root.value(), relative, flags(), resolution());
  }

  private static int flags() {
    return Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC;
  }

  private static long resolution() {
    return Syscalls.RESOLVE_IN_ROOT | Syscalls.RESOLVE_NO_MAGICLINKS;
  }

  private int check(int rc, String what) {
    try {
      return sys.check(rc, what);
    } catch (SyscallException e) {
      throw new StartException(ErrorKind.FILESYSTEM, e.getMessage(), e);
    }
  }
}
