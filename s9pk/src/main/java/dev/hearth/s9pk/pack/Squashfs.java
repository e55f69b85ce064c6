package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Squashfs images made with {@code mksquashfs <dir> <out> -quiet} as upstream does (s9pk.md §8; no
 * compression flags forced). Tarballs are unpacked with {@code tar} into a scratch directory first:
 * Debian's squashfs-tools 4.5 cannot read tar, and {@code tar2sqfs} is not packaged here.
 */
final class Squashfs {
  private Squashfs() {}

  /** Packs a directory into a new squashfs file at {@code out} (replaced if present). */
  static void fromDirectory(Path dir, Path out) {
    if (!Files.isDirectory(dir)) {
      throw new StartException(ErrorKind.PACK, dir + " is not a directory");
    }
    try {
      Files.deleteIfExists(out); // mksquashfs would append to an existing image
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot replace " + out + ": " + e, e);
    }
    ExternalTool.run(
        ErrorKind.PACK,
        dir,
        List.of("mksquashfs", dir.toString(), out.toString(), "-quiet", "-noappend"));
  }

  /** Packs a tar archive (any compression tar detects) into a squashfs file. */
  static void fromTarball(Path tarball, Path out, Path scratch) {
    Path root = scratch.resolve("rootfs-" + System.nanoTime());
    try {
      Files.createDirectories(root);
      ExternalTool.run(
          ErrorKind.PACK,
          root,
          List.of(
              "tar",
              "--extract",
              "--numeric-owner",
              "--file",
              tarball.toAbsolutePath().toString(),
              "--directory",
              root.toString()));
      fromDirectory(root, out);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot unpack " + tarball + ": " + e, e);
    } finally {
      deleteTree(root);
    }
  }

  static void deleteTree(Path root) {
    Trees.delete(root);
  }
}
