package dev.hearth.exver;

import dev.hearth.exver.VersionRange.Anchor;
import dev.hearth.exver.VersionRange.And;
import dev.hearth.exver.VersionRange.Any;
import dev.hearth.exver.VersionRange.FlavorIs;
import dev.hearth.exver.VersionRange.None;
import dev.hearth.exver.VersionRange.Not;
import dev.hearth.exver.VersionRange.Or;

/** The canonical text of a range (exver.md §2.4). */
final class RangePrinter {
  private RangePrinter() {}

  static String print(VersionRange r) {
    var sb = new StringBuilder();
    print(r, sb);
    return sb.toString();
  }

  private static void print(VersionRange r, StringBuilder sb) {
    switch (r) {
      case Anchor(VersionRange.Op op, ExtendedVersion v) -> sb.append(op.symbol).append(v);
      case And(VersionRange a, VersionRange b) -> {
        child(a, sb);
        sb.append(' ');
        child(b, sb);
      }
      case Or(VersionRange a, VersionRange b) -> {
        child(a, sb);
        sb.append(" || ");
        child(b, sb);
      }
      case Not(VersionRange inner) -> {
        sb.append('!');
        child(inner, sb);
      }
      case Any _ -> sb.append('*');
      case None _ -> sb.append('!');
      case FlavorIs(String f) -> sb.append('#').append(f == null ? "" : f);
    }
  }

  /** Compound children and flavor atoms are parenthesized; anchors, * and ! are not. */
  private static void child(VersionRange r, StringBuilder sb) {
    boolean wrap = r instanceof And || r instanceof Or || r instanceof Not || r instanceof FlavorIs;
    if (wrap) {
      sb.append('(');
    }
    print(r, sb);
    if (wrap) {
      sb.append(')');
    }
  }
}
