package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.ImageRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Squashfs images made with {@code mksquashfs <dir> <out> -quiet} as upstream does (s9pk.md §8; no
 * compression flags forced). Tarballs are unpacked with {@code tar} into a scratch directory first:
 * Debian's squashfs-tools 4.5 cannot read tar, and {@code tar2sqfs} is not packaged here.
 *
 * <p>Every tree is checked by {@link ImageRules} right before {@code mksquashfs} runs, here and
 * nowhere else, so no squashfs our tools make can carry a device node, whichever source it came
 * from (a directory, a tarball, flattened Docker layers, the JavaScript bundle, the assets
 * directory).
 */
final class Squashfs {
  private Squashfs() {}

  /**
   * Packs a directory into a new squashfs file at {@code out} (replaced if present).
   *
   * @param what the tree in messages, e.g. {@code "image main"}
   * @throws StartException PACK if the tree holds a device node (then {@code out} does not exist)
   *     or mksquashfs fails
   */
  static void fromDirectory(Path dir, Path out, String what) {
    fromDirectory(dir, out, what, List.of());
  }

  /**
   * Flattens an OCI image's layers into a scratch tree and packs it; owners and modes come from the
   * layers' tar headers (see {@link Ownership}), so this works unprivileged.
   */
  static void fromLayers(OciImageLayout.Image image, Path out, Path scratch, String what) {
    Path work = scratch.resolve("layers-" + System.nanoTime());
    Path root = work.resolve("rootfs");
    try {
      Files.createDirectories(root);
      OverlayTree tree = new OverlayTree(root, what);
      for (Path layer : image.layers()) {
        tree.apply(layer);
      }
      List<String> args = tree.ownership().writePseudoFile(work.resolve("ownership.pseudo"));
      fromDirectory(root, out, what, args);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot flatten " + what + ": " + e, e);
    } finally {
      deleteTree(work);
    }
  }

  private static void fromDirectory(Path dir, Path out, String what, List<String> extraArgs) {
    if (!Files.isDirectory(dir)) {
      throw new StartException(ErrorKind.PACK, dir + " is not a directory");
    }
    Path tree;
    try {
      // mksquashfs stores a source that is a link as that link, not as the tree it points at;
      // checking and squashing the same real directory keeps the two from ever disagreeing.
      tree = dir.toRealPath();
      Files.deleteIfExists(out); // mksquashfs would append to an existing image
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot squash " + dir + ": " + e, e);
    }
    ImageRules.requireNoDeviceNodes(tree, what, ErrorKind.PACK);
    List<String> command =
        new java.util.ArrayList<>(
            List.of("mksquashfs", tree.toString(), out.toString(), "-quiet", "-noappend"));
    command.addAll(extraArgs);
    ExternalTool.run(ErrorKind.PACK, tree, command);
  }

  /**
   * Packs a tar archive (any compression tar detects) into a squashfs file, checking the unpacked
   * tree as {@link #fromDirectory} does.
   */
  static void fromTarball(Path tarball, Path out, Path scratch, String what) {
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
      fromDirectory(root, out, what);
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
