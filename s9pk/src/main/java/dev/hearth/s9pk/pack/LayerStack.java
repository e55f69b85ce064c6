package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Stacks image layers into one root filesystem the way an overlay mount would show them, without
 * ever following a link the layers contain.
 *
 * <p>Each layer is unpacked by {@code tar} into a directory of its own, where tar's own guards hold
 * (no absolute or {@code ..} member names, no writing through a link made earlier in the same run).
 * Unpacking a later layer over an earlier one with tar would follow a link the earlier one made
 * ({@code a -> /home/user} then {@code a/.bashrc}) and write outside the scratch directory. Instead
 * the lower tree is moved <em>into</em> the upper one here: only entries the listing of a real
 * directory names are touched, descent only enters real directories, and the upper layer's entries,
 * links included, always win. Whiteouts ({@code .wh.name}, {@code .wh..wh..opq}) hide lower entries
 * and are removed from the result.
 */
final class LayerStack {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String WHITEOUT = ".wh.";
  private static final String META = ".wh..wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final Set<String> hidden = new HashSet<>();
  private final Set<String> opaque = new HashSet<>();

  private LayerStack() {}

  /**
   * Puts the unpacked layer {@code upper} on top of {@code rootfs} (which may not exist yet); the
   * result replaces {@code rootfs} and {@code upper} is gone afterwards.
   *
   * @throws StartException PACK if a whiteout names no entry ({@code .wh.}, {@code .wh..}),
   *     FILESYSTEM if moving fails
   */
  static void apply(Path upper, Path rootfs) {
    try {
      LayerStack stack = new LayerStack();
      stack.collectWhiteouts(upper);
      if (Files.exists(rootfs, NOFOLLOW)) {
        stack.moveLowerInto(rootfs, upper, "");
        Trees.delete(rootfs); // what is left of the lower tree is shadowed or whited out
      }
      Files.move(upper, rootfs);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot stack an image layer: " + e, e);
    }
  }

  /** Records and deletes every whiteout in the layer; paths are relative, '/'-separated. */
  private void collectWhiteouts(Path upper) throws IOException {
    Files.walkFileTree(
        upper,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String name = file.getFileName().toString();
            if (!name.startsWith(WHITEOUT)) {
              return FileVisitResult.CONTINUE;
            }
            String dir = relative(upper, file.getParent());
            if (name.equals(OPAQUE)) {
              opaque.add(dir);
            } else if (!name.startsWith(META)) { // other .wh..wh. names are aufs bookkeeping
              String gone = name.substring(WHITEOUT.length());
              if (gone.isEmpty() || gone.equals(".") || gone.equals("..")) {
                throw new StartException(
                    ErrorKind.PACK,
                    "an image layer has the whiteout \""
                        + name
                        + "\" in /"
                        + dir
                        + ", which names no entry");
              }
              hidden.add(dir.isEmpty() ? gone : dir + "/" + gone);
            }
            Trees.changing(file.getParent(), () -> Files.delete(file));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Moves what {@code lower} holds and the upper layer neither replaces nor hides into it. */
  private void moveLowerInto(Path lower, Path upper, String rel) throws IOException {
    if (opaque.contains(rel)) {
      return;
    }
    Trees.changing(
        lower,
        () ->
            Trees.changing(
                upper,
                () -> {
                  List<Path> children;
                  try (Stream<Path> list = Files.list(lower)) {
                    children = list.toList();
                  }
                  moveEach(children, upper, rel);
                }));
  }

  private void moveEach(List<Path> children, Path upper, String rel) throws IOException {
    for (Path child : children) {
      String name = child.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      if (hidden.contains(childRel)) {
        continue;
      }
      Path over = upper.resolve(name);
      if (!Files.exists(over, NOFOLLOW)) {
        Files.move(child, over);
      } else if (Files.isDirectory(over, NOFOLLOW) && Files.isDirectory(child, NOFOLLOW)) {
        moveLowerInto(child, over, childRel);
      }
      // otherwise the upper entry (a file, a link, a directory over a non-directory) wins
    }
  }

  private static String relative(Path root, Path dir) {
    return root.relativize(dir).toString();
  }
}
