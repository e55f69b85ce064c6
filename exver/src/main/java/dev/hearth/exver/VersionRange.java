package dev.hearth.exver;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A set of extended versions, written like {@code >=1.2:0 <2:0 || #knots} (exver.md §2.3). The tree
 * is built by the smart constructors ({@link #and}, {@link #or}, {@link #not}), which fold the
 * identities of {@code *} and {@code !} and push negation through De Morgan, so that parsing the
 * canonical text of a range ({@link #toString()}) gives back the same tree.
 *
 * <p>{@code ^x} and {@code ~x} have no node of their own: they are rewritten into two anchors while
 * parsing (§4), which is why they never appear in printed ranges.
 */
public sealed interface VersionRange {

  /** A comparison with one version. */
  enum Op {
    EQ("="),
    NEQ("!="),
    GT(">"),
    GTE(">="),
    LT("<"),
    LTE("<=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  /** {@code op version}: versions of another flavor satisfy only {@code !=} (exver.md §4). */
  record Anchor(Op op, ExtendedVersion version) implements VersionRange {
    public Anchor {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(version, "version");
    }

    @Override
    public String toString() {
      return RangePrinter.print(this);
    }
  }

  /** Both; printed as juxtaposition ({@code a b}). */
  record And(VersionRange left, VersionRange right) implements VersionRange {
    @Override
    public String toString() {
      return RangePrinter.print(this);
    }
  }

  /** Either; printed {@code a || b}. */
  record Or(VersionRange left, VersionRange right) implements VersionRange {
    @Override
    public String toString() {
      return RangePrinter.print(this);
    }
  }

  /** The complement; {@code !(>=29:0)} holds for every other flavor too. */
  record Not(VersionRange inner) implements VersionRange {
    @Override
    public String toString() {
      return RangePrinter.print(this);
    }
  }

  /** Every version: {@code *}. */
  record Any() implements VersionRange {
    @Override
    public String toString() {
      return "*";
    }
  }

  /** No version: {@code !}. */
  record None() implements VersionRange {
    @Override
    public String toString() {
      return "!";
    }
  }

  /** Versions of one flavor ({@code #knots}), or without a flavor ({@code #}). */
  record FlavorIs(@Nullable String flavor) implements VersionRange {
    public FlavorIs {
      if (flavor != null && !flavor.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
        throw new IllegalArgumentException(
            "a flavor is lowercase letters only: \"" + flavor + "\"");
      }
      if (flavor != null && flavor.isEmpty()) {
        flavor = null;
      }
    }

    @Override
    public String toString() {
      return RangePrinter.print(this);
    }
  }

  VersionRange ANY = new Any();
  VersionRange NONE = new None();

  /**
   * Parses a range the way StartOS does: text after the longest prefix that forms a range is
   * ignored, so {@code ">=1 &&"} is {@code >=1}. Use this for ranges that come from packages and
   * registries, which StartOS accepts.
   *
   * @throws VersionParseException if no prefix of the text is a range
   */
  @JsonCreator
  static VersionRange parse(String text) {
    return new RangeParser(text).parse(RangeParser.Tail.IGNORE);
  }

  /**
   * Parses a range and refuses any text left over, pointing at where the range stopped making
   * sense. Use this for what a person types.
   *
   * @throws VersionParseException naming the position of the first character that does not fit
   */
  static VersionRange parseStrict(String text) {
    return new RangeParser(text).parse(RangeParser.Tail.REFUSE);
  }

  static VersionRange anchor(Op op, ExtendedVersion version) {
    return new Anchor(op, version);
  }

  /** Exactly this flavor; null means "no flavor". */
  static VersionRange flavor(@Nullable String flavor) {
    return new FlavorIs(flavor);
  }

  /** Both, folding {@code *} and {@code !}. */
  static VersionRange and(VersionRange a, VersionRange b) {
    if (a instanceof Any) {
      return b;
    }
    if (b instanceof Any) {
      return a;
    }
    if (a instanceof None || b instanceof None) {
      return NONE;
    }
    return new And(a, b);
  }

  /** Either, folding {@code *} and {@code !}. */
  static VersionRange or(VersionRange a, VersionRange b) {
    if (a instanceof Any || b instanceof Any) {
      return ANY;
    }
    if (a instanceof None) {
      return b;
    }
    if (b instanceof None) {
      return a;
    }
    return new Or(a, b);
  }

  /**
   * The complement. {@code =} and {@code !=} swap, And and Or follow De Morgan, a double negation
   * cancels; other anchors stay under a Not, because {@code !(<x)} is not {@code >=x}: it also
   * holds for other flavors.
   */
  static VersionRange not(VersionRange r) {
    return switch (r) {
      case Anchor(Op op, ExtendedVersion v) when op == Op.EQ -> new Anchor(Op.NEQ, v);
      case Anchor(Op op, ExtendedVersion v) when op == Op.NEQ -> new Anchor(Op.EQ, v);
      case And(VersionRange a, VersionRange b) -> or(not(a), not(b));
      case Or(VersionRange a, VersionRange b) -> and(not(a), not(b));
      case Not(VersionRange inner) -> inner;
      case Any _ -> NONE;
      case None _ -> ANY;
      case Anchor _, FlavorIs _ -> new Not(r);
    };
  }

  /**
   * {@code ^x}: at least x, below the next change of its first non-zero number; the bound keeps x's
   * flavor and prerelease, with downstream 0 (exver.md §4).
   */
  static VersionRange caret(ExtendedVersion x) {
    long[] s = x.upstream().significantNumbers();
    int i = firstNonZero(s);
    long[] max = Arrays.copyOf(s, i + 1);
    max[i] = increment(s[i], x);
    return and(new Anchor(Op.GTE, x), new Anchor(Op.LT, bound(x, max)));
  }

  /** {@code ~x}: at least x, below the next change of the number after its first non-zero one. */
  static VersionRange tilde(ExtendedVersion x) {
    long[] s = x.upstream().significantNumbers();
    int i = firstNonZero(s);
    long[] max = Arrays.copyOf(s, i + 2);
    max[i + 1] = increment(i + 1 < s.length ? s[i + 1] : 0, x);
    return and(new Anchor(Op.GTE, x), new Anchor(Op.LT, bound(x, max)));
  }

  private static int firstNonZero(long[] s) {
    for (int i = 0; i < s.length; i++) {
      if (s[i] != 0) {
        return i;
      }
    }
    return s.length - 1;
  }

  private static long increment(long n, ExtendedVersion x) {
    if (n == -1L) { // u64::MAX
      throw new IllegalArgumentException("no version above " + x + " to bound a ^ or ~ range");
    }
    return n + 1;
  }

  private static ExtendedVersion bound(ExtendedVersion x, long[] numbers) {
    return new ExtendedVersion(x.flavorOrNull(), x.upstream().withNumbers(numbers), Version.of(0));
  }

  /** Whether {@code v} is in this range (exver.md §4). */
  default boolean isSatisfiedBy(ExtendedVersion v) {
    return switch (this) {
      case Anchor(Op op, ExtendedVersion x) -> {
        if (!v.isComparableTo(x)) {
          yield op == Op.NEQ;
        }
        int c = v.compareIgnoringFlavor(x);
        yield switch (op) {
          case EQ -> c == 0;
          case NEQ -> c != 0;
          case GT -> c > 0;
          case GTE -> c >= 0;
          case LT -> c < 0;
          case LTE -> c <= 0;
        };
      }
      case And(VersionRange a, VersionRange b) -> a.isSatisfiedBy(v) && b.isSatisfiedBy(v);
      case Or(VersionRange a, VersionRange b) -> a.isSatisfiedBy(v) || b.isSatisfiedBy(v);
      case Not(VersionRange inner) -> !inner.isSatisfiedBy(v);
      case Any _ -> true;
      case None _ -> false;
      case FlavorIs(String f) -> Objects.equals(f, v.flavorOrNull());
    };
  }

  /** A plain version (an OS version, say) as the extended version {@code version:0}. */
  default boolean isSatisfiedBy(Version v) {
    return isSatisfiedBy(ExtendedVersion.of(v, Version.of(0)));
  }

  /** Whether any version at all is in this range (exver.md §4.1). */
  default boolean isSatisfiable() {
    return Satisfiability.isSatisfiable(this);
  }

  /** Whether some version is in both ranges. */
  default boolean intersects(VersionRange other) {
    return Satisfiability.isSatisfiable(and(this, other));
  }

  /** The canonical text, as StartOS prints and stores it. */
  @JsonValue
  default String text() {
    return RangePrinter.print(this);
  }
}
