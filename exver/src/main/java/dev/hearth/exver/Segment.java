package dev.hearth.exver;

/**
 * One dot-separated part of a prerelease, such as {@code beta} or {@code 11} in {@code
 * 1.0.0-beta.11}. Numbers sort before strings; numbers compare numerically (unsigned 64-bit),
 * strings byte-wise (exver.md §3.1).
 */
public sealed interface Segment extends Comparable<Segment> {

  /** An all-digit segment without a leading zero (or exactly {@code 0}). */
  record Num(long value) implements Segment {
    @Override
    public String toString() {
      return Long.toUnsignedString(value);
    }
  }

  /** Any other segment: ASCII letters, digits and {@code -}. */
  record Str(String value) implements Segment {
    public Str {
      if (!isSegmentText(value)) {
        throw new IllegalArgumentException("not a prerelease segment: \"" + value + "\"");
      }
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /**
   * Reads one segment: all digits without a leading zero is a number, anything else made of {@code
   * [0-9A-Za-z-]} is a string.
   *
   * @throws IllegalArgumentException if the text is empty or has another character
   */
  static Segment of(String text) {
    if (!isSegmentText(text)) {
      throw new IllegalArgumentException("not a prerelease segment: \"" + text + "\"");
    }
    boolean digits = text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digits && (text.length() == 1 || text.charAt(0) != '0')) {
      try {
        return new Num(Long.parseUnsignedLong(text));
      } catch (NumberFormatException tooLarge) {
        return new Str(text); // beyond u64: still a valid segment, compared as text
      }
    }
    return new Str(text);
  }

  static boolean isSegmentText(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (!isSegmentChar(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isSegmentChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
  }

  @Override
  default int compareTo(Segment other) {
    return switch (this) {
      case Num(long a) ->
          switch (other) {
            case Num(long b) -> Long.compareUnsigned(a, b);
            case Str _ -> -1;
          };
      case Str(String a) ->
          switch (other) {
            case Num _ -> 1;
            case Str(String b) -> a.compareTo(b); // ASCII only, so char order is byte order
          };
    };
  }
}
