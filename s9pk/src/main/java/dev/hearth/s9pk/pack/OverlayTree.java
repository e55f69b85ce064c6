package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Applies OCI image layers (tar, gzip or zstd, told apart by their first bytes) to one scratch root
 * filesystem, as an overlay mount would show them, reading the tar in Java. A layer comes from a
 * registry, so it is hostile input:
 *
 * <ul>
 *   <li>names that are absolute, hold a {@code ..} component or a control character are refused;
 *   <li>no link is ever followed: every directory on the way to an entry must be a real directory
 *       of the tree (one that is a link, say {@code etc -> /etc} from a lower layer, is refused,
 *       not entered), and links are created as links;
 *   <li>a hard link must name an entry already in the tree, never a directory;
 *   <li>block and character devices are refused (the package rule, see ImageRules).
 * </ul>
 *
 * Each layer is read twice: first its whiteouts ({@code .wh.name}, {@code .wh..wh..opq}) remove
 * what lower layers put there, then its entries are written, so a layer's whiteouts never hide its
 * own entries whatever their order. Owners and modes go to {@link Ownership}, not to disk.
 */
final class OverlayTree {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final Path root;
  private final String what;
  private final Ownership ownership = new Ownership();
  private int layer;

  /**
   * @param root an empty directory
   */
  OverlayTree(Path root, String what) {
    this.root = root;
    this.what = what;
  }

  Ownership ownership() {
    return ownership;
  }

  /** Applies the next layer, read from {@code blob} (already verified against its digest). */
  void apply(Path blob) {
    layer++;
    try {
      try (TarArchiveInputStream tar = open(blob)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String rel = name(e.getName());
          String base = rel.substring(rel.lastIndexOf('/') + 1);
          if (base.startsWith(WHITEOUT)) {
            whiteout(rel, base);
          }
        }
      }
      try (TarArchiveInputStream tar = open(blob)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String rel = name(e.getName());
          if (!rel.substring(rel.lastIndexOf('/') + 1).startsWith(WHITEOUT)) {
            write(rel, e, tar);
          }
        }
      }
    } catch (IOException | InvalidPathException e) {
      throw refuse("cannot be read: " + e.getMessage());
    }
  }

  private TarArchiveInputStream open(Path blob) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(blob), 1 << 16);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    InputStream plain;
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      plain = new GZIPInputStream(in, 1 << 16);
    } else if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      plain = new io.airlift.compress.zstd.ZstdInputStream(in);
    } else {
      plain = in;
    }
    return new TarArchiveInputStream(plain, "UTF-8");
  }

  /** A member name as a relative '/'-separated path ("" for the root), or a refusal. */
  private String name(String raw) {
    if (raw.startsWith("/")) {
      throw refuse("has the absolute name \"" + printable(raw) + "\"");
    }
    List<String> parts = new ArrayList<>();
    for (String p : raw.split("/")) {
      if (p.equals("..")) {
        throw refuse("has the name \"" + printable(raw) + "\", which climbs out with \"..\"");
      }
      if (p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw refuse("has a name with a control character: \"" + printable(raw) + "\"");
      }
      if (!p.isEmpty() && !p.equals(".")) {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  private void whiteout(String rel, String base) throws IOException {
    int slash = rel.lastIndexOf('/');
    String dirRel = slash < 0 ? "" : rel.substring(0, slash);
    Path dir = existingDirectory(dirRel);
    if (dir == null) {
      return; // nothing below to hide
    }
    if (base.equals(OPAQUE)) {
      try (Stream<Path> children = Files.list(dir)) {
        for (Path c : children.toList()) {
          Trees.delete(c);
        }
      }
      ownership.removeChildren(dirRel);
      return;
    }
    if (base.startsWith(WHITEOUT + WHITEOUT)) {
      return; // other .wh..wh. names are aufs bookkeeping
    }
    String gone = base.substring(WHITEOUT.length());
    if (gone.isEmpty() || gone.equals(".") || gone.equals("..")) { // ".wh..." would hide the parent
      throw refuse("has the whiteout \"" + printable(rel) + "\", which names no entry");
    }
    Trees.delete(dir.resolve(gone));
    ownership.removeTree(dirRel.isEmpty() ? gone : dirRel + "/" + gone);
  }

  private void write(String rel, TarArchiveEntry e, InputStream data) throws IOException {
    Ownership.Attrs attrs = new Ownership.Attrs(e.getMode(), e.getLongUserId(), e.getLongGroupId());
    if (rel.isEmpty()) {
      if (!e.isDirectory()) {
        throw refuse("makes the root a " + kind(e));
      }
      ownership.set("", attrs);
      return;
    }
    if (e.isCharacterDevice() || e.isBlockDevice()) {
      throw refuse(
          "holds the device node /"
              + printable(rel)
              + " ("
              + kind(e)
              + " "
              + e.getDevMajor()
              + ":"
              + e.getDevMinor()
              + "), which packages may not carry");
    }
    Path target = parentOf(rel).resolve(rel.substring(rel.lastIndexOf('/') + 1));
    boolean exists = Files.exists(target, NOFOLLOW);
    if (e.isDirectory()) {
      if (exists && !Files.isDirectory(target, NOFOLLOW)) {
        Trees.delete(target);
        exists = false;
      }
      if (!exists) {
        Files.createDirectory(target);
      }
      ownership.set(rel, attrs);
      return;
    }
    if (exists) {
      Trees.delete(target);
      ownership.removeTree(rel);
    }
    if (e.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(e.getLinkName())); // stored as given, never followed
    } else if (e.isLink()) {
      String to = name(e.getLinkName());
      Path source = to.isEmpty() ? null : existingEntry(to);
      if (source == null || Files.isDirectory(source, NOFOLLOW)) {
        throw refuse(
            "hard-links /"
                + printable(rel)
                + " to /"
                + printable(to)
                + ", which is not a file of the image");
      }
      Files.createLink(target, source);
      attrs = ownership.get(to, attrs);
    } else if (e.isFIFO()) {
      ExternalTool.run(ErrorKind.PACK, root, List.of("mkfifo", "--", target.toString()));
    } else if (e.isFile()) {
      Files.copy(data, target);
    } else {
      throw refuse(
          "holds /"
              + printable(rel)
              + ", a tar entry of type '"
              + (char) e.getLinkFlag()
              + "' that images may not have");
    }
    ownership.set(rel, attrs);
  }

  /** The directory that will hold {@code rel}, made (0755 root) where missing. */
  private Path parentOf(String rel) throws IOException {
    Path dir = root;
    String[] parts = rel.split("/");
    StringBuilder sofar = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      sofar.append(i == 0 ? "" : "/").append(parts[i]);
      dir = dir.resolve(parts[i]);
      if (!Files.exists(dir, NOFOLLOW)) {
        Files.createDirectory(dir);
        ownership.setIfAbsent(sofar.toString());
      } else if (!Files.isDirectory(dir, NOFOLLOW)) {
        throw refuse(
            "puts /"
                + printable(rel)
                + " below /"
                + printable(sofar.toString())
                + ", which is "
                + (Files.isSymbolicLink(dir) ? "a symbolic link" : "not a directory")
                + " in the image; it is never followed");
      }
    }
    return dir;
  }

  /** The real directory {@code rel}, or null if it is missing or something else. */
  private @Nullable Path existingDirectory(String rel) {
    Path p = rel.isEmpty() ? root : existingEntry(rel);
    return p != null && Files.isDirectory(p, NOFOLLOW) ? p : null;
  }

  /** The entry {@code rel} reached through real directories only, or null. */
  private @Nullable Path existingEntry(String rel) {
    Path p = root;
    String[] parts = rel.split("/");
    for (int i = 0; i < parts.length; i++) {
      if (i > 0 && !Files.isDirectory(p, NOFOLLOW)) {
        return null;
      }
      p = p.resolve(parts[i]);
      if (!Files.exists(p, NOFOLLOW)) {
        return null;
      }
    }
    return p;
  }

  private StartException refuse(String why) {
    return new StartException(ErrorKind.PACK, what + ": layer " + layer + " " + why);
  }

  private static String kind(TarArchiveEntry e) {
    if (e.isCharacterDevice()) {
      return "character device";
    }
    if (e.isBlockDevice()) {
      return "block device";
    }
    return e.isSymbolicLink() ? "symbolic link" : e.isDirectory() ? "directory" : "file";
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(c -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", c));
          } else {
            sb.appendCodePoint(c);
          }
        });
    return sb.toString();
  }
}
