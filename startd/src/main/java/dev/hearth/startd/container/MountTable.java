package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The mounts of the daemon's mount namespace, from {@code /proc/self/mountinfo}. */
final class MountTable {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  /**
   * One line of mountinfo.
   *
   * @param mountPoint where it is mounted, unescaped
   * @param optional the optional fields, e.g. {@code shared:12 master:3}
   */
  record Mount(int id, int parentId, Path mountPoint, String optional, String type, String source) {
    boolean shared() {
      return optional.contains("shared:");
    }
  }

  private MountTable() {}

  static List<Mount> read() {
    try {
      return parse(Files.readAllLines(MOUNTINFO));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + MOUNTINFO, e);
    }
  }

  static List<Mount> parse(List<String> lines) {
    List<Mount> out = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
        continue;
      }
      String optional = String.join(" ", List.of(f).subList(6, dash));
      out.add(
          new Mount(
              Integer.parseInt(f[0]),
              Integer.parseInt(f[1]),
              Path.of(unescape(f[4])),
              optional,
              f[dash + 1],
              unescape(f[dash + 2])));
    }
    return out;
  }

  /** Mounts at or below {@code dir}, deepest first: the order to unmount them in. */
  static List<Mount> under(List<Mount> mounts, Path dir) {
    return mounts.stream()
        .filter(m -> m.mountPoint().startsWith(dir))
        .sorted(Comparator.comparingInt((Mount m) -> m.mountPoint().getNameCount()).reversed())
        .toList();
  }

  /** Whether {@code dir} itself is a mount point. */
  static boolean isMountPoint(List<Mount> mounts, Path dir) {
    return mounts.stream().anyMatch(m -> m.mountPoint().equals(dir));
  }

  /** Undoes the kernel's octal escapes ({@code \040} for a space, and so on). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
