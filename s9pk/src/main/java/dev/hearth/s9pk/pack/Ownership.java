package dev.hearth.s9pk.pack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The owner, group and permission bits a layer's tar headers give each path of a flattened image.
 * Packing may run unprivileged, so the scratch tree on disk keeps whatever owner and mode the
 * current user gets; {@code mksquashfs} is handed these as pseudo-file definitions ({@code -pf},
 * {@code "path m mode uid gid"}) and the root's with {@code -root-mode/-root-uid/-root-gid}.
 */
final class Ownership {
  record Attrs(int mode, long uid, long gid) {}

  private static final Attrs DEFAULT_DIR = new Attrs(0755, 0, 0);

  // relative '/'-separated path → attributes; sorted so a subtree is one contiguous range
  private final TreeMap<String, Attrs> paths = new TreeMap<>();
  private Attrs root = DEFAULT_DIR;

  void set(String rel, Attrs attrs) {
    if (rel.isEmpty()) {
      root = attrs;
    } else {
      paths.put(rel, attrs);
    }
  }

  /** The attributes of {@code rel}, or {@code fallback} if none are known. */
  Attrs get(String rel, Attrs fallback) {
    return paths.getOrDefault(rel, fallback);
  }

  /** A directory made only because an entry below it came first: Docker gives it 0755 root. */
  void setIfAbsent(String rel) {
    paths.putIfAbsent(rel, DEFAULT_DIR);
  }

  /** Forgets {@code rel} and everything below it. */
  void removeTree(String rel) {
    paths.remove(rel);
    removeChildren(rel);
  }

  void removeChildren(String rel) {
    if (rel.isEmpty()) {
      paths.clear();
    } else {
      // '0' is the character after '/', so this is exactly the paths below rel
      paths.subMap(rel + "/", rel + "0").clear();
    }
  }

  /**
   * Writes the pseudo-file definitions and returns the extra {@code mksquashfs} arguments. Names
   * are quoted, with {@code "} and {@code \} escaped; {@link OverlayTree} refuses names holding
   * control characters, so a name can never end a line and smuggle in a definition of its own.
   */
  List<String> writePseudoFile(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Attrs> e : paths.entrySet()) {
      Attrs a = e.getValue();
      sb.append('"')
          .append(e.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\" m ")
          .append(Integer.toOctalString(a.mode() & 07777))
          .append(' ')
          .append(a.uid())
          .append(' ')
          .append(a.gid())
          .append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>();
    if (!paths.isEmpty()) {
      args.addAll(List.of("-pf", file.toString()));
    }
    args.addAll(
        List.of(
            "-root-mode",
            Integer.toOctalString(root.mode() & 07777),
            "-root-uid",
            Long.toString(root.uid()),
            "-root-gid",
            Long.toString(root.gid())));
    return args;
  }
}
