package dev.hearth.exver;

import dev.hearth.exver.VersionRange.Op;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A recursive-descent parser that behaves like StartOS's PEG grammar for ranges (exver.md §2.3):
 *
 * <pre>
 * range  := atom ( ("||" | "&&")? atom )*
 * atom   := "(" range ")" | anchor | "!" atom | "*" | "!" | "#" [a-z]*
 * anchor := cmpop? spec
 * spec   := ("#" [a-z]* ":")? version (":" version)?      (no spaces inside)
 * </pre>
 *
 * Alternatives are tried in order and a failed one is backtracked, as PEG does. Atoms fold left to
 * right without precedence; an atom without an operator reuses the most recent explicit operator of
 * its group, AND if there was none. Spaces (only spaces) may separate tokens.
 *
 * <p>Each method returns null when its rule does not match, leaving the cursor where it started.
 */
final class RangeParser {
  /** What to do with text after the longest prefix that is a range. */
  enum Tail {
    /** Ignore it, as StartOS does. */
    IGNORE,
    /** Refuse it. */
    REFUSE
  }

  private static final String ATOM =
      "a version, a comparison (=, !=, <, <=, >, >=, ^, ~), '(', '!', '*' or '#flavor'";

  private final Cursor c;

  RangeParser(String text) {
    this.c = new Cursor(text, "version range");
  }

  VersionRange parse(Tail tail) {
    c.skipSpaces();
    VersionRange r = range();
    if (r == null) {
      throw c.furthestError();
    }
    c.skipSpaces();
    if (tail == Tail.REFUSE && c.more()) {
      throw c.furthestError();
    }
    return r;
  }

  private @Nullable VersionRange range() {
    VersionRange acc = atom();
    if (acc == null) {
      return null;
    }
    boolean or = false; // the operator of this group so far: AND until an explicit one is seen
    while (true) {
      int before = c.pos();
      c.skipSpaces();
      boolean explicitOr = c.skip("||");
      boolean explicit = explicitOr || c.skip("&&");
      if (explicit) {
        c.skipSpaces();
      }
      VersionRange next = atom();
      if (next == null) {
        c.reset(before);
        return acc;
      }
      if (explicit) {
        or = explicitOr;
      }
      acc = or ? VersionRange.or(acc, next) : VersionRange.and(acc, next);
    }
  }

  private @Nullable VersionRange atom() {
    int start = c.pos();
    if (c.skip('(')) {
      c.skipSpaces();
      VersionRange inner = range();
      if (inner != null) {
        c.skipSpaces();
        if (c.skip(')')) {
          return inner;
        }
        c.expected("')' or an operator (||, &&)");
      }
      c.reset(start);
    }
    VersionRange anchor = anchor();
    if (anchor != null) {
      return anchor;
    }
    if (c.skip('!')) {
      int afterBang = c.pos();
      c.skipSpaces();
      VersionRange inner = atom();
      if (inner != null) {
        return VersionRange.not(inner);
      }
      c.reset(afterBang);
      return VersionRange.NONE;
    }
    if (c.skip('*')) {
      return VersionRange.ANY;
    }
    if (c.skip('#')) {
      return VersionRange.flavor(lowercase());
    }
    c.expected(ATOM);
    return null;
  }

  private @Nullable VersionRange anchor() {
    int start = c.pos();
    String op = operator();
    if (op != null) {
      c.skipSpaces();
    }
    ExtendedVersion spec = spec();
    if (spec == null) {
      c.reset(start);
      return null;
    }
    try {
      return switch (op == null ? "^" : op) {
        case "^" -> VersionRange.caret(spec);
        case "~" -> VersionRange.tilde(spec);
        case ">=" -> VersionRange.anchor(Op.GTE, spec);
        case "<=" -> VersionRange.anchor(Op.LTE, spec);
        case "!=" -> VersionRange.anchor(Op.NEQ, spec);
        case "=" -> VersionRange.anchor(Op.EQ, spec);
        case "<" -> VersionRange.anchor(Op.LT, spec);
        case ">" -> VersionRange.anchor(Op.GT, spec);
        default -> throw new IllegalStateException("operator " + op);
      };
    } catch (IllegalArgumentException unbounded) {
      c.reset(start);
      throw c.error("a version whose ^ or ~ bound fits in 64 bits");
    }
  }

  private @Nullable String operator() {
    for (String op : List.of(">=", "<=", "!=", "=", "<", ">", "^", "~")) {
      if (c.skip(op)) {
        return op;
      }
    }
    return null;
  }

  /** {@code ("#" [a-z]* ":")? version (":" version)?}; a missing downstream is {@code 0}. */
  private @Nullable ExtendedVersion spec() {
    int start = c.pos();
    String flavor = null;
    if (c.skip('#')) {
      flavor = lowercase();
      if (!c.skip(':')) {
        c.expected("':' after the flavor");
        c.reset(start);
        return null;
      }
    }
    Version upstream = version();
    if (upstream == null) {
      c.reset(start);
      return null;
    }
    Version downstream = Version.of(0);
    int beforeColon = c.pos();
    if (c.skip(':')) {
      Version d = version();
      if (d == null) {
        c.reset(beforeColon);
      } else {
        downstream = d;
      }
    }
    return new ExtendedVersion(flavor, upstream, downstream);
  }

  /** {@code number ("." number)* ("-" segment ("." segment)*)?}, numbers without leading zeros. */
  private @Nullable Version version() {
    List<Long> numbers = new ArrayList<>();
    Long first = number();
    if (first == null) {
      return null;
    }
    numbers.add(first);
    while (true) {
      int beforeDot = c.pos();
      if (!c.skip('.')) {
        break;
      }
      Long n = number();
      if (n == null) {
        c.reset(beforeDot);
        break;
      }
      numbers.add(n);
    }
    List<Segment> prerelease = List.of();
    int beforeDash = c.pos();
    if (c.skip('-')) {
      prerelease = segments();
      if (prerelease.isEmpty()) {
        c.reset(beforeDash);
      }
    }
    return Version.of(numbers, prerelease);
  }

  private List<Segment> segments() {
    List<Segment> segments = new ArrayList<>();
    while (true) {
      int start = c.pos();
      while (c.more() && Segment.isSegmentChar(c.peek())) {
        c.advance();
      }
      if (c.pos() == start) {
        c.expected("a prerelease segment ([0-9A-Za-z-]+)");
        if (!segments.isEmpty()) {
          c.reset(start - 1); // give back the '.'
        }
        return segments;
      }
      segments.add(Segment.of(c.text().substring(start, c.pos())));
      if (!c.skip('.')) {
        return segments;
      }
    }
  }

  /** {@code "0" | [1-9][0-9]*}. */
  private @Nullable Long number() {
    if (c.skip('0')) {
      return 0L;
    }
    int start = c.pos();
    if (!c.more() || c.peek() < '1' || c.peek() > '9') {
      c.expected("a number");
      return null;
    }
    while (c.peekDigit()) {
      c.advance();
    }
    return c.unsigned(start);
  }

  private String lowercase() {
    int start = c.pos();
    while (c.peekLower()) {
      c.advance();
    }
    return c.text().substring(start, c.pos());
  }
}
