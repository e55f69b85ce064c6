package dev.hearth.exver;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A position in the text being parsed. Parsers may backtrack ({@link #reset}); the cursor keeps the
 * furthest position where something failed to match and what was expected there, which is where a
 * person should look when the whole parse fails (the usual PEG error rule).
 */
final class Cursor {
  private final String text;
  private final String what;
  private int pos;
  private int furthest = -1;
  private final Set<String> expected = new LinkedHashSet<>();

  Cursor(String text, String what) {
    this.text = text;
    this.what = what;
  }

  String text() {
    return text;
  }

  int pos() {
    return pos;
  }

  void reset(int position) {
    pos = position;
  }

  boolean more() {
    return pos < text.length();
  }

  char peek() {
    return text.charAt(pos);
  }

  boolean peekDigit() {
    return more() && peek() >= '0' && peek() <= '9';
  }

  boolean peekLower() {
    return more() && peek() >= 'a' && peek() <= 'z';
  }

  void advance() {
    pos++;
  }

  boolean skip(char c) {
    if (more() && peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  boolean skip(String token) {
    if (text.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  /** Skips the range grammar's whitespace: spaces only (tabs and newlines are not whitespace). */
  void skipSpaces() {
    while (skip(' ')) {
      // nothing else to do
    }
  }

  /** The digits from {@code start} to here as an unsigned 64-bit number. */
  long unsigned(int start) {
    try {
      return Long.parseUnsignedLong(text, start, pos, 10);
    } catch (NumberFormatException e) {
      throw new VersionParseException(what, text, start, "a number below 2^64");
    }
  }

  /** Notes that {@code description} was expected here; the furthest such note wins. */
  void expected(String description) {
    if (pos > furthest) {
      furthest = pos;
      expected.clear();
    }
    if (pos == furthest) {
      expected.add(description);
    }
  }

  VersionParseException error(String description) {
    return new VersionParseException(what, text, pos, description);
  }

  /** The error at the furthest point any alternative reached. */
  VersionParseException furthestError() {
    if (furthest < 0) {
      return error("more input");
    }
    return new VersionParseException(what, text, furthest, String.join(" or ", expected));
  }

  void expectEnd() {
    if (more()) {
      throw error("the end of the text");
    }
  }
}
