package dev.hearth.s9pk.archive;

import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * Entry names: single path segments, compared as upstream does, byte-wise in UTF-8. Stricter than
 * upstream in two ways no real package notices: a name is at most {@link #MAX_NAME_BYTES} bytes and
 * has no control characters, so a listing can print it as it is and a path built from names stays
 * short.
 */
final class Names {
  /** The longest name, in UTF-8 bytes: Linux's NAME_MAX (upstream allows 1 MiB). */
  static final int MAX_NAME_BYTES = 255;

  /** The longest path from the root, in UTF-8 bytes: Linux's PATH_MAX. */
  static final int MAX_PATH_BYTES = 4096;

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
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return "contains a control character";
    }
    if (utf8Length(name) > MAX_NAME_BYTES) {
      return "is longer than " + MAX_NAME_BYTES + " bytes";
    }
    return null;
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
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
