package dev.hearth.s9pk;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a package's image may hold, checked on a directory tree: a root filesystem about to be
 * squashed ({@code s9pk pack}, {@code s9pk edit add-image}, {@code s9pk convert}) or a mounted
 * image. The one rule today: <b>no device nodes</b>, block or character. A device node in an image
 * is a handle on the host's hardware (a block node {@code 8:0} is the host's first disk), so a
 * package could read and write what it names if the image were ever mounted without {@code nodev}
 * or the container's device cgroup were lost. Refusing them here is the third layer, after the
 * daemon's {@code nodev,nosuid} mounts and device cgroup.
 *
 * <ul>
 *   <li><b>Overlay whiteouts</b> (character devices {@code 0:0}) are device nodes too, and refused:
 *       images are flattened before they are packed, so a real image holds none.
 *   <li><b>FIFOs and sockets</b> are allowed: they reach only what opens the same path inside the
 *       container.
 *   <li><b>Setuid and setgid files</b> are allowed: real Debian-based images carry them ({@code
 *       su}, {@code passwd}, {@code mount}…), so refusing them would refuse nearly every real
 *       package, and the daemon mounts every image {@code nosuid}, which makes the bits inert.
 *   <li><b>Symbolic links</b> are allowed wherever they point ({@code /dev/sda}, {@code /}, each
 *       other): a link to a device is not a device node, and inside the container it resolves
 *       against the container's own {@code /dev}.
 * </ul>
 *
 * <p>The tree is hostile. The walk never follows a link below {@code root}, so loops and links to
 * {@code /} cost one entry each; it stops with an error after {@value #MAX_ENTRIES} entries; it
 * keeps the paths of the first {@value #MAX_KEPT} violations and only counts the rest, so a tree of
 * device nodes cannot fill the heap. An entry it cannot read fails the check rather than being
 * skipped. The tree must not change while it is walked: a scratch directory of ours, the
 * developer's own tree, or a read-only mount. Blocks the calling thread for the whole walk.
 */
public final class ImageRules {
  /**
   * Entries walked before giving up: about ten times the whole root file system of our development
   * VM (Debian with JDKs, node and a Maven cache: about 520 thousand), far beyond any real image.
   */
  static final long MAX_ENTRIES = 5_000_000;

  /** Violations kept with their paths; beyond this they are only counted. */
  static final int MAX_KEPT = 1_000;

  /** Paths a message names; the rest are "and N more". */
  static final int NAMED_IN_MESSAGE = 10;

  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFCHR = 0020000;

  /** How far a walk may go; tests use small ones. */
  record Limits(long maxEntries, int maxKept) {
    static final Limits DEFAULT = new Limits(MAX_ENTRIES, MAX_KEPT);
  }

  /** Which rule an entry breaks. */
  public enum Kind {
    BLOCK_DEVICE("block"),
    CHARACTER_DEVICE("char");

    private final String shortName;

    Kind(String shortName) {
      this.shortName = shortName;
    }
  }

  /**
   * One entry that breaks a rule.
   *
   * @param path relative to the tree's root
   * @param major the device's major number ({@code unix:rdev})
   * @param minor the device's minor number
   */
  public record Violation(Path path, Kind kind, long major, long minor) {
    public Violation {
      if (path.isAbsolute()) {
        throw new IllegalArgumentException("a violation's path is relative to the root: " + path);
      }
    }

    /** Whether this is an overlay whiteout (a character device 0:0) rather than a real device. */
    public boolean isWhiteout() {
      return kind == Kind.CHARACTER_DEVICE && major == 0 && minor == 0;
    }

    /**
     * The path and what it is, e.g. {@code dev/sda (block 8:0)}; control characters in the path are
     * escaped, so a hostile name cannot forge lines in a message or a terminal.
     */
    public String describe() {
      return printable(path.toString())
          + " ("
          + kind.shortName
          + " "
          + major
          + ":"
          + minor
          + (isWhiteout() ? ", an overlay whiteout" : "")
          + ")";
    }
  }

  /**
   * What a check found.
   *
   * @param violations as {@link #check} returns them: the first found (at most 1000), sorted by
   *     path
   * @param count how many entries break a rule, including those not kept
   */
  public record Findings(List<Violation> violations, long count) {
    public Findings {
      violations = List.copyOf(violations);
      if (count < violations.size()) {
        throw new IllegalArgumentException(
            "count " + count + " is below the " + violations.size() + " violations kept");
      }
    }

    /** Whether the tree keeps every rule. */
    public boolean isClean() {
      return count == 0;
    }
  }

  private ImageRules() {}

  /**
   * Walks the tree at {@code root} (itself followed if it is a link, nothing below it) and returns
   * what breaks the rules.
   *
   * @param tooLarge the kind of the error thrown when the tree has more entries than may be walked
   * @throws StartException {@code tooLarge} if the tree holds more than {@value #MAX_ENTRIES}
   *     entries; FILESYSTEM if {@code root} is not a directory or an entry cannot be read
   */
  public static Findings check(Path root, ErrorKind tooLarge) {
    return check(root, root.toString(), tooLarge, Limits.DEFAULT);
  }

  /**
   * Checks the tree at {@code root} and throws if it breaks a rule, with a message that names the
   * tree and the first ten offending paths, e.g. {@code image main holds device nodes, which
   * packages may not carry: dev/mem (char 1:1), dev/sda (block 8:0)}.
   *
   * @param what the tree in the message's words, e.g. {@code "image main"}
   * @param kind the kind of every error this throws except FILESYSTEM (e.g. PACK when packing)
   * @throws StartException {@code kind} if the tree holds a device node or too many entries;
   *     FILESYSTEM if {@code root} is not a directory or an entry cannot be read
   */
  public static void requireNoDeviceNodes(Path root, String what, ErrorKind kind) {
    Findings found = check(root, what, kind, Limits.DEFAULT);
    if (!found.isClean()) {
      throw new StartException(kind, message(what, found));
    }
  }

  static Findings check(Path root, String what, ErrorKind tooLarge, Limits limits) {
    Path top;
    try {
      // The caller named root, so a link there is followed (mksquashfs is given the same real
      // path);
      // links below it never are.
      top = root.toRealPath();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot check " + what + ": " + e, e);
    }
    if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot check " + what + ": " + root + " is not a directory");
    }
    Walk walk = new Walk(top, what, tooLarge, limits);
    try {
      // No FOLLOW_LINKS: links are reported as themselves and never entered.
      Files.walkFileTree(top, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, walk);
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot check " + what + " for device nodes: " + e, e);
    }
    // Path order, so messages do not depend on the order a filesystem lists a directory in.
    walk.kept.sort(Comparator.comparing(v -> v.path().toString()));
    return new Findings(walk.kept, walk.count);
  }

  static String message(String what, Findings found) {
    List<Violation> named = found.violations().stream().limit(NAMED_IN_MESSAGE).toList();
    long more = found.count() - named.size();
    return what
        + " holds device nodes, which packages may not carry: "
        + named.stream().map(Violation::describe).collect(Collectors.joining(", "))
        + (more > 0 ? " and " + more + " more" : "");
  }

  /** Control characters as {@code \xNN}, so a listing cannot start a line or a terminal escape. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(c -> {
          if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\\') {
            out.append(String.format("\\x%02x", c));
          } else {
            out.appendCodePoint(c);
          }
        });
    return out.toString();
  }

  /** One walk's state; used by the walking thread only. */
  private static final class Walk extends SimpleFileVisitor<Path> {
    private final Path top;
    private final String what;
    private final ErrorKind tooLarge;
    private final Limits limits;
    private final List<Violation> kept = new ArrayList<>();
    private long entries;
    private long count;

    Walk(Path top, String what, ErrorKind tooLarge, Limits limits) {
      this.top = top;
      this.what = what;
      this.tooLarge = tooLarge;
      this.limits = limits;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      counted();
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      counted();
      // Devices, FIFOs and sockets are the only "other" files: everything else (regular files,
      // directories, links) cannot be a device, so only these pay a second lstat for the mode.
      if (attrs.isOther()) {
        Map<String, Object> unix =
            Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        int type = (int) unix.get("mode") & S_IFMT;
        if (type == S_IFBLK) {
          found(file, Kind.BLOCK_DEVICE, (long) unix.get("rdev"));
        } else if (type == S_IFCHR) {
          found(file, Kind.CHARACTER_DEVICE, (long) unix.get("rdev"));
        } // else a FIFO or a socket: allowed
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      throw e; // an entry we cannot read could hide a device: fail the check, never skip it
    }

    private void found(Path file, Kind kind, long rdev) {
      count++;
      if (kept.size() < limits.maxKept()) {
        kept.add(new Violation(top.relativize(file), kind, major(rdev), minor(rdev)));
      }
    }

    private void counted() {
      if (++entries > limits.maxEntries()) {
        throw new StartException(
            tooLarge,
            what
                + " has more than "
                + limits.maxEntries()
                + " entries, more than an image may hold; it was not checked for device nodes");
      }
    }
  }

  /** glibc's {@code major()}: bits 8–19 and 44–63 of {@code dev_t}. */
  static long major(long rdev) {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
  }

  /** glibc's {@code minor()}: bits 0–7 and 20–43 of {@code dev_t}. */
  static long minor(long rdev) {
    return (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
  }
}
