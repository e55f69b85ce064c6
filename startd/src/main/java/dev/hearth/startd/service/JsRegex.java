package dev.hearth.startd.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * ECMAScript patterns, as an action form's text fields carry them, tested in Java: translated where
 * the two languages agree, and bounded in the work one match may do, because the pattern comes from
 * a package. Where a faithful answer is not possible the answer is "unknown", never a guess.
 */
final class JsRegex {
  private JsRegex() {}

  /** JS {@code \s}: Java's is ASCII only. */
  private static final String JS_SPACE =
      "\\t\\n\\x0B\\f\\r\\x20\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

  private static final Pattern QUANTIFIER = Pattern.compile("\\{\\d+(,\\d*)?}");

  /** A group's opening: capturing, named ({@code <}), or one of the kinds both languages share. */
  private static final Pattern GROUP =
      Pattern.compile("\\((?!\\?)|\\(\\?(:|=|!|<=|<!|<(?=[A-Za-z]))");

  /**
   * Characters one match may read, some tenths of a second: a package's pattern could backtrack for
   * hours, and a linear one reads a 64 KiB text a few times over well within it.
   */
  private static final int MATCH_BUDGET = 2_000_000;

  /**
   * Whether {@code s} matches the JS {@code regex} as the UI tests it, or null when that cannot be
   * known here: the pattern does not translate, the match ran out of budget, or a miss involves
   * characters outside the BMP (JS without the u flag counts UTF-16 units, Java code points). Never
   * null on a plain match, so an unknown answer can only let a value through.
   */
  static @Nullable Boolean find(String regex, String s) {
    Pattern p = translate(regex);
    if (p == null) {
      return null;
    }
    try {
      boolean found = p.matcher(new Budgeted(s)).find();
      return found || s.codePoints().allMatch(Character::isBmpCodePoint) ? found : null;
    } catch (Budgeted.Exhausted e) {
      return null;
    }
  }

  /**
   * An ECMAScript pattern (no flags, Annex B syntax), unanchored as JavaScript's {@code test}, in
   * java.util.regex, or null where the two languages could disagree. Not translated: named
   * backreferences ({@code \k<n>}), a backreference to a group not yet closed (JS matches empty,
   * Java fails), legacy octal escapes ({@code \01}, {@code \8} with too few groups, any digit
   * escape in a class), {@code \c} without a letter, modifier groups ({@code (?i:…)}) and any
   * {@code (?…} other than {@code (?:}, lookarounds and named groups; group names Java refuses;
   * lookbehinds Java cannot bound.
   */
  static @Nullable Pattern translate(String js) {
    String src = js;
    StringBuilder out = new StringBuilder();
    Deque<Integer> open = new ArrayDeque<>(); // group numbers, 0 when not capturing
    Set<Integer> closed = new HashSet<>();
    int groups = 0;
    boolean inClass = false;
    boolean afterClassEscape = false; // JS reads "-" next to \d, \s, \w as a literal
    for (int i = 0; i < src.length(); i++) {
      char c = src.charAt(i);
      boolean classEscape = false;
      if (c == '\\') {
        if (++i == src.length()) {
          return null;
        }
        char e = src.charAt(i);
        char next = i + 1 < src.length() ? src.charAt(i + 1) : 0;
        switch (e) {
          case 'd', 'D', 'w', 'W', 'n', 'r', 't', 'f' -> out.append('\\').append(e);
          case 'b', 'B' -> out.append(inClass ? (e == 'b' ? "\\x08" : "B") : "\\" + e);
          case 'v' -> out.append("\\x0B");
          case 's' -> out.append(inClass ? JS_SPACE : "[" + JS_SPACE + "]");
          case 'S' -> out.append("[^").append(JS_SPACE).append(']'); // nested in a class: a union
          case 'c' -> {
            if (!Character.isLetter(next) || next > 'z') {
              return null;
            }
            out.append("\\c").append(src.charAt(++i));
          }
          case 'x', 'u' -> {
            int digits = e == 'x' ? 2 : 4;
            boolean hex = src.length() > i + digits;
            for (int k = 1; hex && k <= digits; k++) {
              hex = Character.digit(src.charAt(i + k), 16) >= 0;
            }
            out.append(hex ? "\\" + src.substring(i, i + digits + 1) : String.valueOf(e));
            i += hex ? digits : 0;
          }
          case '0' -> {
            if (Character.isDigit(next)) {
              return null;
            }
            out.append("\\x00");
          }
          case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
            int end = i;
            while (end < src.length() && Character.isDigit(src.charAt(end))) {
              end++;
            }
            if (inClass || !closed.contains(Integer.parseInt(src.substring(i, end)))) {
              return null;
            }
            out.append('\\').append(src, i, end);
            i = end - 1;
          }
          case 'k' -> {
            return null;
          }
          // any other letter is an identity escape in JS, and may mean something else in Java
          default -> out.append(Character.isLetter(e) ? "" : "\\").append(e);
        }
        classEscape = inClass && "dDwWsS".indexOf(e) >= 0;
      } else if (inClass) {
        boolean literalDash =
            c == '-'
                && (afterClassEscape
                    || (next(src, i) == '\\' && "dDwWsS".indexOf(next(src, i + 1)) >= 0));
        inClass = c != ']';
        out.append(c == '[' || c == '&' || literalDash ? "\\" + c : String.valueOf(c));
      } else if (c == '[') {
        if (src.startsWith("[^]", i) || src.startsWith("[]", i)) {
          out.append(src.charAt(i + 1) == '^' ? "[\\s\\S]" : "(?!)");
          i += src.charAt(i + 1) == '^' ? 2 : 1;
        } else {
          inClass = true;
          out.append(next(src, i) == '^' ? "[^" : "[");
          i += next(src, i) == '^' ? 1 : 0;
        }
      } else if (c == '(') {
        Matcher g = GROUP.matcher(src).region(i, src.length());
        if (!g.lookingAt()) {
          return null; // (?i:…) and other groups JS and Java may read differently
        }
        open.push(g.group(1) == null || g.group(1).equals("<") ? ++groups : 0);
        out.append(c);
      } else if (c == ')') {
        if (open.isEmpty()) {
          return null;
        }
        closed.add(open.pop());
        out.append(c);
      } else if (c == '{' || c == '*' || c == '+' || c == '?') {
        Matcher q = QUANTIFIER.matcher(src).region(i, src.length());
        String quantifier = c != '{' ? String.valueOf(c) : q.lookingAt() ? q.group() : null;
        if (quantifier == null) {
          out.append("\\{"); // not a quantifier: JS reads a literal brace
          continue;
        }
        i += quantifier.length() - 1;
        if (next(src, i) == '?') {
          quantifier += src.charAt(++i);
        }
        if (next(src, i) == '+') {
          return null; // Java's possessive quantifier; a syntax error in JS
        }
        out.append(quantifier);
      } else {
        out.append(
            switch (c) {
              case '.' -> "[^\\n\\r\\u2028\\u2029]"; // Java's dot also stops at \u0085
              case '$' -> "\\z"; // Java's $ also matches before a final line break
              case '}' -> "\\}";
              default -> String.valueOf(c);
            });
      }
      afterClassEscape = classEscape;
    }
    if (inClass || !open.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(out.toString());
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  private static char next(String s, int i) {
    return i + 1 < s.length() ? s.charAt(i + 1) : 0;
  }

  /** The text a match reads, which stops the match once it has read too much. */
  private static final class Budgeted implements CharSequence {
    private final String s;
    private int left = MATCH_BUDGET; // one matcher, one thread

    Budgeted(String s) {
      this.s = s;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new Exhausted();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.substring(start, end);
    }

    @Override
    public String toString() {
      return s;
    }

    static final class Exhausted extends RuntimeException {
      Exhausted() {
        super("pattern ran out of budget", null, false, false);
      }
    }
  }
}
