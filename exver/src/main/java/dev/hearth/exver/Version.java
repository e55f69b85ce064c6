package dev.hearth.exver;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A version: one or more unsigned numbers and an optional prerelease, as in {@code 0.4.0-beta.10}
 * (exver.md §2.1). Equality and order ignore trailing zero numbers, so {@code 1} equals {@code
 * 1.0.0}; the text it prints keeps the numbers it was given.
 *
 * <p>Immutable and thread-safe.
 */
public final class Version implements Comparable<Version> {
  private final long[] number;
  private final List<Segment> prerelease;

  private Version(long[] number, List<Segment> prerelease) {
    if (number.length == 0) {
      throw new IllegalArgumentException("a version needs at least one number");
    }
    this.number = number;
    this.prerelease = List.copyOf(prerelease);
  }

  /** A release version from its numbers, e.g. {@code of(1, 2, 3)}. */
  public static Version of(long... number) {
    return new Version(number.clone(), List.of());
  }

  /** A version from numbers and prerelease segments. */
  public static Version of(List<Long> number, List<Segment> prerelease) {
    return new Version(number.stream().mapToLong(Long::longValue).toArray(), prerelease);
  }

  /**
   * Parses {@code number ("." number)* ("-" segment ("." segment)*)?}. Numbers may have leading
   * zeros here, as upstream's {@code Version::from_str} accepts them.
   *
   * @throws VersionParseException naming the position of the first character that does not fit
   */
  @JsonCreator
  public static Version parse(String text) {
    var cursor = new Cursor(text, "version");
    Version v = readLenientVersion(cursor);
    cursor.expectEnd();
    return v;
  }

  /** Reads a version whose numbers may have leading zeros; stops at the first other character. */
  static Version readLenientVersion(Cursor cursor) {
    var numbers = new ArrayList<Long>();
    do {
      int start = cursor.pos();
      while (cursor.peekDigit()) {
        cursor.advance();
      }
      if (cursor.pos() == start) {
        throw cursor.error("a number");
      }
      numbers.add(cursor.unsigned(start));
    } while (cursor.skip('.'));
    List<Segment> prerelease = cursor.skip('-') ? readPrerelease(cursor) : List.of();
    return of(numbers, prerelease);
  }

  static List<Segment> readPrerelease(Cursor cursor) {
    var segments = new ArrayList<Segment>();
    do {
      int start = cursor.pos();
      while (cursor.more() && Segment.isSegmentChar(cursor.peek())) {
        cursor.advance();
      }
      if (cursor.pos() == start) {
        throw cursor.error("a prerelease segment ([0-9A-Za-z-]+)");
      }
      segments.add(Segment.of(cursor.text().substring(start, cursor.pos())));
    } while (cursor.skip('.'));
    return segments;
  }

  /** The numbers as given, trailing zeros included. */
  public List<Long> number() {
    return Arrays.stream(number).boxed().toList();
  }

  public List<Segment> prerelease() {
    return prerelease;
  }

  public boolean isPrerelease() {
    return !prerelease.isEmpty();
  }

  /** Number {@code i}, where missing trailing numbers count as zero. */
  long numberAt(int i) {
    return i < number.length ? number[i] : 0;
  }

  int numberCount() {
    return number.length;
  }

  /** The numbers without trailing zeros, keeping at least one (exver.md §4, caret). */
  long[] significantNumbers() {
    int n = number.length;
    while (n > 1 && number[n - 1] == 0) {
      n--;
    }
    return Arrays.copyOf(number, n);
  }

  Version withNumbers(long[] newNumber) {
    return new Version(newNumber, prerelease);
  }

  @Override
  public int compareTo(Version other) {
    int len = Math.max(number.length, other.number.length);
    for (int i = 0; i < len; i++) {
      int c = Long.compareUnsigned(numberAt(i), other.numberAt(i));
      if (c != 0) {
        return c;
      }
    }
    if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
      // a release sorts after any of its prereleases
      return Boolean.compare(prerelease.isEmpty(), other.prerelease.isEmpty());
    }
    int common = Math.min(prerelease.size(), other.prerelease.size());
    for (int i = 0; i < common; i++) {
      int c = prerelease.get(i).compareTo(other.prerelease.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(prerelease.size(), other.prerelease.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(significantNumbersForHash()), prerelease);
  }

  private long[] significantNumbersForHash() {
    int n = number.length;
    while (n > 0 && number[n - 1] == 0) {
      n--;
    }
    return Arrays.copyOf(number, n);
  }

  @JsonValue
  @Override
  public String toString() {
    var sb = new StringBuilder();
    for (int i = 0; i < number.length; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(Long.toUnsignedString(number[i]));
    }
    if (!prerelease.isEmpty()) {
      sb.append('-');
      for (int i = 0; i < prerelease.size(); i++) {
        if (i > 0) {
          sb.append('.');
        }
        sb.append(prerelease.get(i));
      }
    }
    return sb.toString();
  }
}
