package dev.hearth.startd.container;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Something {@link Containers#create} puts into a container before it starts, at {@link #at()}.
 * Images stored inside a bigger file (a package keeps them inside its {@code .s9pk}) are named by
 * the file and the byte range.
 */
public sealed interface ContainerMount {
  /** Where the container sees it. */
  ContainerPath at();

  /**
   * A squashfs image at {@code offset} in {@code file}, {@code length} bytes long, mounted
   * read-only and id-mapped so that its files belong to container root (0 → its ids). Its host
   * mount also serves as the lower layer of {@link ServiceContainer#subcontainerFs}.
   */
  record Squashfs(Path file, long offset, long length, ContainerPath at) implements ContainerMount {
    public Squashfs {
      checkRange(file, offset, length);
    }

    public Squashfs(Path file, long offset, long length, String at) {
      this(file, offset, length, ContainerPath.of(at));
    }
  }

  /**
   * A writable view over a read-only squashfs (assets): an overlay whose lower layer is the
   * id-mapped image and whose upper layer is fresh for this container and dropped with it.
   */
  record OverlayOnSquashfs(Path file, long offset, long length, ContainerPath at)
      implements ContainerMount {
    public OverlayOnSquashfs {
      checkRange(file, offset, length);
    }

    public OverlayOnSquashfs(Path file, long offset, long length, String at) {
      this(file, offset, length, ContainerPath.of(at));
    }
  }

  /**
   * A host directory bound as it is (volumes). Its files must already be owned by the container's
   * ids ({@link ContainerIds}); nothing is id-mapped.
   */
  record Bind(Path hostDir, ContainerPath at, Access access) implements ContainerMount {
    public Bind {
      if (!hostDir.isAbsolute()) {
        throw new IllegalArgumentException("a bind's host directory must be absolute: " + hostDir);
      }
    }

    public Bind(Path hostDir, String at, Access access) {
      this(hostDir, ContainerPath.of(at), access);
    }
  }

  /**
   * A file written into the container's root file system, owned by container root, mode 0644 (an
   * image's {@code .env} and {@code .json}).
   */
  record File(byte[] content, ContainerPath at) implements ContainerMount {
    public File {
      content = content.clone();
    }

    public File(byte[] content, String at) {
      this(content, ContainerPath.of(at));
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof File f && f.at.equals(at) && Arrays.equals(f.content, content);
    }

    @Override
    public int hashCode() {
      return 31 * at.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "File[" + content.length + " bytes, at=" + at + "]";
    }
  }

  private static void checkRange(Path file, long offset, long length) {
    if (!file.isAbsolute()) {
      throw new IllegalArgumentException("an image file must be absolute: " + file);
    }
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException(
          "an image's offset must be >= 0 and its length > 0: " + offset + ", " + length);
    }
  }
}
