package dev.hearth.s9pk.archive;

import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/** Entry names: single path segments, compared as upstream does, byte-wise in UTF-8. */
final class Names {
  /** UTF-8 byte order equals code point order (String.compareTo is UTF-16 order). */
  static final Comparator<String> ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private Names() {}

  /** Why the name cannot be an entry, or null if it can. */
  static @Nullable String problem(String name) {
    if (name.isEmpty()) {
      return "is empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "is \"" + name + "\", which would leave its directory";
    }
    if (name.indexOf('/') >= 0) {
      return "contains '/', but a name is one path segment";
    }
    if (name.indexOf('\0') >= 0) {
      return "contains a NUL character";
    }
    return null;
  }

  static String quoted(String name) {
    StringBuilder b = new StringBuilder("\"");
    int shown = 0;
    for (int i = 0; i < name.length() && shown < 80; i++, shown++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(name.length() > 80 ? "…\"" : "\"").toString();
  }
}
