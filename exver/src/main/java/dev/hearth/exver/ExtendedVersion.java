package dev.hearth.exver;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * An extended version: an optional flavor, the upstream version and the downstream (packaging)
 * version, written {@code #flavor:upstream:downstream} (exver.md §2.2). Versions of different
 * flavors are not comparable: {@link #compareWithinFlavor} says so with an empty result, and {@link
 * #TOTAL_ORDER} is the order to sort mixed lists by (§3.3).
 *
 * <p>Immutable and thread-safe.
 */
public final class ExtendedVersion {
  /**
   * Sorts any two extended versions: by flavor order when comparable; otherwise a version with no
   * flavor sorts after a flavored one and two flavors compare by name (exver.md §3.3).
   */
  public static final Comparator<ExtendedVersion> TOTAL_ORDER = ExtendedVersion::totalCompare;

  private final @Nullable String flavor;
  private final Version upstream;
  private final Version downstream;

  /**
   * @param flavor lowercase ASCII letters, or null for no flavor (the empty flavor is no flavor)
   */
  public ExtendedVersion(@Nullable String flavor, Version upstream, Version downstream) {
    if (flavor != null && !flavor.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
      throw new IllegalArgumentException("a flavor is lowercase letters only: \"" + flavor + "\"");
    }
    this.flavor = flavor == null || flavor.isEmpty() ? null : flavor;
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.downstream = Objects.requireNonNull(downstream, "downstream");
  }

  /** Without a flavor. */
  public static ExtendedVersion of(Version upstream, Version downstream) {
    return new ExtendedVersion(null, upstream, downstream);
  }

  /**
   * Parses {@code ("#" flavor ":")? version ":" version}; the downstream version is required.
   *
   * @throws VersionParseException naming the position of the first character that does not fit
   */
  @JsonCreator
  public static ExtendedVersion parse(String text) {
    var cursor = new Cursor(text, "extended version");
    String flavor = null;
    if (cursor.skip('#')) {
      int start = cursor.pos();
      while (cursor.peekLower()) {
        cursor.advance();
      }
      flavor = text.substring(start, cursor.pos());
      if (!cursor.skip(':')) {
        throw cursor.error("':' after the flavor (lowercase letters only)");
      }
    }
    Version up = Version.readLenientVersion(cursor);
    if (!cursor.skip(':')) {
      throw cursor.error("':' and the downstream version");
    }
    Version down = Version.readLenientVersion(cursor);
    cursor.expectEnd();
    return new ExtendedVersion(flavor, up, down);
  }

  public Optional<String> flavor() {
    return Optional.ofNullable(flavor);
  }

  @Nullable String flavorOrNull() {
    return flavor;
  }

  public Version upstream() {
    return upstream;
  }

  public Version downstream() {
    return downstream;
  }

  /** True when both have the same flavor (or both none), so that they can be ordered. */
  public boolean isComparableTo(ExtendedVersion other) {
    return Objects.equals(flavor, other.flavor);
  }

  /**
   * Orders two versions of the same flavor by upstream, then downstream.
   *
   * @return empty when the flavors differ: such versions are not comparable (exver.md §3.2)
   */
  public OptionalInt compareWithinFlavor(ExtendedVersion other) {
    if (!isComparableTo(other)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(compareIgnoringFlavor(other));
  }

  int compareIgnoringFlavor(ExtendedVersion other) {
    int c = upstream.compareTo(other.upstream);
    return c != 0 ? c : downstream.compareTo(other.downstream);
  }

  /**
   * Whether this version is in the range (exver.md §4).
   *
   * @see VersionRange#isSatisfiedBy
   */
  public boolean satisfies(VersionRange range) {
    return range.isSatisfiedBy(this);
  }

  private static int totalCompare(ExtendedVersion a, ExtendedVersion b) {
    if (Objects.equals(a.flavor, b.flavor)) {
      return a.compareIgnoringFlavor(b);
    }
    if (a.flavor == null) {
      return 1;
    }
    if (b.flavor == null) {
      return -1;
    }
    return a.flavor.compareTo(b.flavor);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtendedVersion v
        && Objects.equals(flavor, v.flavor)
        && upstream.equals(v.upstream)
        && downstream.equals(v.downstream);
  }

  @Override
  public int hashCode() {
    return Objects.hash(flavor, upstream, downstream);
  }

  @JsonValue
  @Override
  public String toString() {
    return (flavor == null ? "" : "#" + flavor + ":") + upstream + ":" + downstream;
  }
}
