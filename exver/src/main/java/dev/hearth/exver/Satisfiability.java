package dev.hearth.exver;

import dev.hearth.exver.VersionRange.Anchor;
import dev.hearth.exver.VersionRange.And;
import dev.hearth.exver.VersionRange.Any;
import dev.hearth.exver.VersionRange.FlavorIs;
import dev.hearth.exver.VersionRange.None;
import dev.hearth.exver.VersionRange.Not;
import dev.hearth.exver.VersionRange.Or;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether any version satisfies a range (exver.md §4.1), without enumerating versions.
 *
 * <p>Within one flavor, every anchor splits the version line at a point just below or just above
 * its version. Between two neighbouring split points every anchor has the same truth value, so the
 * range does too; evaluating the range once per segment decides it. Flavors the range names are
 * checked one by one, plus "no flavor" and one flavor the range never names, which stands for all
 * others. This is the truth-table method of upstream's {@code sat} module, evaluated lazily.
 */
final class Satisfiability {
  /** A flavor no range can name: flavors are lowercase letters only. */
  private static final String OTHER_FLAVOR = "\0other";

  private Satisfiability() {}

  /** A split point: just below ({@code side = -1}) or just above ({@code +1}) a version. */
  private record Point(ExtendedVersion version, int side) {}

  private static final Comparator<Point> POINT_ORDER =
      (a, b) -> {
        int c = a.version.compareIgnoringFlavor(b.version);
        return c != 0 ? c : Integer.compare(a.side, b.side);
      };

  static boolean isSatisfiable(VersionRange range) {
    Set<@Nullable String> flavors = new HashSet<>();
    flavors.add(null);
    flavors.add(OTHER_FLAVOR);
    collectFlavors(range, flavors);
    for (String flavor : flavors) {
      List<Point> points = splitPoints(range, flavor);
      for (int segment = 0; segment <= points.size(); segment++) {
        if (eval(range, flavor, segment, points)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void collectFlavors(VersionRange r, Set<@Nullable String> out) {
    switch (r) {
      case Anchor(VersionRange.Op _, ExtendedVersion v) -> out.add(v.flavorOrNull());
      case FlavorIs(String f) -> out.add(f);
      case And(VersionRange a, VersionRange b) -> {
        collectFlavors(a, out);
        collectFlavors(b, out);
      }
      case Or(VersionRange a, VersionRange b) -> {
        collectFlavors(a, out);
        collectFlavors(b, out);
      }
      case Not(VersionRange inner) -> collectFlavors(inner, out);
      case Any _, None _ -> {}
    }
  }

  private static List<Point> splitPoints(VersionRange range, @Nullable String flavor) {
    List<Point> points = new ArrayList<>();
    addPoints(range, flavor, points);
    points.sort(POINT_ORDER);
    List<Point> distinct = new ArrayList<>();
    for (Point p : points) {
      if (distinct.isEmpty() || POINT_ORDER.compare(distinct.getLast(), p) != 0) {
        distinct.add(p);
      }
    }
    return distinct;
  }

  private static void addPoints(VersionRange r, @Nullable String flavor, List<Point> out) {
    switch (r) {
      case Anchor(VersionRange.Op _, ExtendedVersion v) -> {
        if (Objects.equals(v.flavorOrNull(), flavor)) {
          out.add(new Point(v, -1));
          out.add(new Point(v, +1));
        }
      }
      case And(VersionRange a, VersionRange b) -> {
        addPoints(a, flavor, out);
        addPoints(b, flavor, out);
      }
      case Or(VersionRange a, VersionRange b) -> {
        addPoints(a, flavor, out);
        addPoints(b, flavor, out);
      }
      case Not(VersionRange inner) -> addPoints(inner, flavor, out);
      case Any _, None _, FlavorIs _ -> {}
    }
  }

  /**
   * The range's value on segment {@code segment} of the line of {@code flavor}: the segment lies
   * between split point {@code segment - 1} and split point {@code segment}.
   */
  private static boolean eval(
      VersionRange r, @Nullable String flavor, int segment, List<Point> points) {
    return switch (r) {
      case Anchor(VersionRange.Op op, ExtendedVersion x) -> {
        if (!Objects.equals(x.flavorOrNull(), flavor)) {
          yield op == VersionRange.Op.NEQ;
        }
        boolean belowX = segment <= indexOf(points, new Point(x, -1));
        boolean atMostX = segment <= indexOf(points, new Point(x, +1));
        yield switch (op) {
          case LT -> belowX;
          case GTE -> !belowX;
          case LTE -> atMostX;
          case GT -> !atMostX;
          case EQ -> !belowX && atMostX;
          case NEQ -> belowX || !atMostX;
        };
      }
      case And(VersionRange a, VersionRange b) ->
          eval(a, flavor, segment, points) && eval(b, flavor, segment, points);
      case Or(VersionRange a, VersionRange b) ->
          eval(a, flavor, segment, points) || eval(b, flavor, segment, points);
      case Not(VersionRange inner) -> !eval(inner, flavor, segment, points);
      case Any _ -> true;
      case None _ -> false;
      case FlavorIs(String f) -> Objects.equals(f, flavor);
    };
  }

  private static int indexOf(List<Point> points, Point p) {
    int i = Collections.binarySearch(points, p, POINT_ORDER);
    if (i < 0) {
      throw new IllegalStateException("split point missing: " + p);
    }
    return i;
  }
}
