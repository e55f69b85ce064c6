package dev.hearth.exver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Laws that must hold for every version and range, checked on thousands of seeded random cases. A
 * failure names the case; the seed is fixed, so it reproduces.
 */
class ExverPropertiesTest {
  private static final int CASES = 3000;
  private final Generators gen = new Generators(new SplittableRandom(0x5EED_E7E4L));

  @Test
  void versionsSurviveARoundTripThroughText() {
    for (int i = 0; i < CASES; i++) {
      Version v = gen.version();
      assertThat(Version.parse(v.toString())).as("case %d: %s", i, v).isEqualTo(v);
      ExtendedVersion x = gen.exver();
      ExtendedVersion back = ExtendedVersion.parse(x.toString());
      assertThat(back).as("case %d: %s", i, x).isEqualTo(x);
      assertThat(back.toString()).isEqualTo(x.toString());
    }
  }

  @Test
  void rangesSurviveARoundTripThroughTheirCanonicalText() {
    for (int i = 0; i < CASES; i++) {
      VersionRange r = gen.range();
      assertThat(VersionRange.parseStrict(r.text())).as("case %d: %s", i, r).isEqualTo(r);
      assertThat(VersionRange.parse(r.text())).as("case %d: %s", i, r).isEqualTo(r);
    }
  }

  @Test
  void orderWithinAFlavorIsATotalOrderConsistentWithEquals() {
    for (int i = 0; i < CASES; i++) {
      String flavor = gen.flavor();
      ExtendedVersion a = gen.exver(flavor);
      ExtendedVersion b = gen.exver(flavor);
      ExtendedVersion c = gen.exver(flavor);
      int ab = a.compareWithinFlavor(b).orElseThrow();
      int ba = b.compareWithinFlavor(a).orElseThrow();
      int bc = b.compareWithinFlavor(c).orElseThrow();
      int ac = a.compareWithinFlavor(c).orElseThrow();
      String label = a + " " + b + " " + c;
      assertThat(Integer.signum(ab)).as("antisymmetric: %s", label).isEqualTo(-Integer.signum(ba));
      if (ab <= 0 && bc <= 0) {
        assertThat(ac).as("transitive: %s", label).isLessThanOrEqualTo(0);
      }
      assertThat(a.equals(b)).as("equals agrees: %s", label).isEqualTo(ab == 0);
      if (ab == 0) {
        assertThat(a.hashCode()).as("hash agrees: %s", label).isEqualTo(b.hashCode());
      }
    }
  }

  @Test
  void totalOrderSortsAcrossFlavors() {
    for (int i = 0; i < CASES; i++) {
      ExtendedVersion a = gen.exver();
      ExtendedVersion b = gen.exver();
      ExtendedVersion c = gen.exver();
      var order = ExtendedVersion.TOTAL_ORDER;
      String label = a + " " + b + " " + c;
      assertThat(Integer.signum(order.compare(a, b)))
          .as("antisymmetric: %s", label)
          .isEqualTo(-Integer.signum(order.compare(b, a)));
      if (order.compare(a, b) <= 0 && order.compare(b, c) <= 0) {
        assertThat(order.compare(a, c)).as("transitive: %s", label).isLessThanOrEqualTo(0);
      }
      if (!a.isComparableTo(b)) {
        assertThat(a.compareWithinFlavor(b)).isEmpty();
        assertThat(order.compare(a, b)).isNotZero();
      }
    }
  }

  @Test
  void conjunctionDisjunctionAndNegationMeanWhatTheySay() {
    for (int i = 0; i < CASES; i++) {
      VersionRange a = gen.range();
      VersionRange b = gen.range();
      ExtendedVersion v = gen.exver();
      boolean sa = v.satisfies(a);
      boolean sb = v.satisfies(b);
      String label = v + " in " + a + " / " + b;
      assertThat(v.satisfies(VersionRange.and(a, b))).as("and: %s", label).isEqualTo(sa && sb);
      assertThat(v.satisfies(VersionRange.or(a, b))).as("or: %s", label).isEqualTo(sa || sb);
      assertThat(v.satisfies(VersionRange.not(a))).as("not: %s", label).isEqualTo(!sa);
      // The same laws through text, as a user or a manifest would write them.
      assertThat(v.satisfies(VersionRange.parse("(" + a + ") && (" + b + ")")))
          .as("&& text: %s", label)
          .isEqualTo(sa && sb);
      assertThat(v.satisfies(VersionRange.parse("(" + a + ") || (" + b + ")")))
          .as("|| text: %s", label)
          .isEqualTo(sa || sb);
      assertThat(v.satisfies(VersionRange.parse("!(" + a + ")")))
          .as("! text: %s", label)
          .isEqualTo(!sa);
    }
  }

  @Test
  void aWitnessMakesARangeSatisfiableAndIntersectionSymmetric() {
    for (int i = 0; i < CASES; i++) {
      VersionRange a = gen.range();
      VersionRange b = gen.range();
      String label = a + " / " + b;
      assertThat(a.intersects(b)).as("symmetric: %s", label).isEqualTo(b.intersects(a));
      for (int k = 0; k < 8; k++) {
        ExtendedVersion v = gen.exver();
        if (v.satisfies(a)) {
          assertThat(a.isSatisfiable()).as("%s witnesses %s", v, a).isTrue();
          if (v.satisfies(b)) {
            assertThat(a.intersects(b)).as("%s witnesses %s", v, label).isTrue();
          }
        }
      }
    }
  }

  @Test
  void satisfiabilityObeysTheBooleanLaws() {
    for (int i = 0; i < CASES / 3; i++) {
      VersionRange a = gen.range();
      VersionRange b = gen.range();
      VersionRange c = gen.range();
      String label = a + " / " + b + " / " + c;
      assertThat(VersionRange.and(a, b).isSatisfiable())
          .as("and commutes: %s", label)
          .isEqualTo(VersionRange.and(b, a).isSatisfiable());
      assertThat(VersionRange.and(VersionRange.and(a, b), c).isSatisfiable())
          .as("and associates: %s", label)
          .isEqualTo(VersionRange.and(a, VersionRange.and(b, c)).isSatisfiable());
      assertThat(VersionRange.and(a, VersionRange.or(b, c)).isSatisfiable())
          .as("and distributes: %s", label)
          .isEqualTo(
              VersionRange.or(VersionRange.and(a, b), VersionRange.and(a, c)).isSatisfiable());
      assertThat(new VersionRange.Not(new VersionRange.And(a, b)).isSatisfiable())
          .as("De Morgan: %s", label)
          .isEqualTo(VersionRange.or(VersionRange.not(a), VersionRange.not(b)).isSatisfiable());
      assertThat(VersionRange.and(a, VersionRange.not(a)).isSatisfiable())
          .as("contradiction: %s", a)
          .isFalse();
      assertThat(VersionRange.or(a, VersionRange.not(a)).isSatisfiable())
          .as("excluded middle: %s", a)
          .isTrue();
    }
  }
}
