package dev.hearth.exver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector of exver.md §5, from the data files beside this class. */
class SpecVectorsTest {

  static Stream<Arguments> versionOrder() {
    return Vectors.read("version-order.tsv");
  }

  static Stream<Arguments> exverOrder() {
    return Vectors.read("exver-order.tsv");
  }

  static Stream<Arguments> satisfies() {
    return Vectors.read("satisfies.tsv");
  }

  static Stream<Arguments> satisfiable() {
    return Vectors.read("satisfiable.tsv");
  }

  static Stream<Arguments> canonical() {
    return Vectors.read("canonical.tsv");
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("versionOrder")
  void versionsOrderAsSpecified(String a, String relation, String b) {
    Version va = Version.parse(a);
    Version vb = Version.parse(b);
    int expected = sign(relation);
    assertThat(Integer.signum(va.compareTo(vb))).isEqualTo(expected);
    assertThat(Integer.signum(vb.compareTo(va))).isEqualTo(-expected);
    assertThat(va.equals(vb)).isEqualTo(expected == 0);
    if (expected == 0) {
      assertThat(va.hashCode()).isEqualTo(vb.hashCode());
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("exverOrder")
  void extendedVersionsOrderAsSpecified(String a, String relation, String b) {
    ExtendedVersion va = ExtendedVersion.parse(a);
    ExtendedVersion vb = ExtendedVersion.parse(b);
    if (relation.equals("incomparable")) {
      assertThat(va.compareWithinFlavor(vb)).isEmpty();
      assertThat(vb.compareWithinFlavor(va)).isEmpty();
      assertThat(va).isNotEqualTo(vb);
      return;
    }
    int expected = sign(relation);
    assertThat(va.compareWithinFlavor(vb)).isPresent();
    assertThat(Integer.signum(va.compareWithinFlavor(vb).getAsInt())).isEqualTo(expected);
    assertThat(Integer.signum(ExtendedVersion.TOTAL_ORDER.compare(va, vb))).isEqualTo(expected);
    assertThat(va.equals(vb)).isEqualTo(expected == 0);
  }

  @ParameterizedTest(name = "{1} satisfies {0}: {2}")
  @MethodSource("satisfies")
  void satisfiesFollowsRust(String range, String version, String expected) {
    VersionRange r = VersionRange.parse(range);
    ExtendedVersion v = ExtendedVersion.parse(version);
    assertThat(v.satisfies(r)).isEqualTo(Boolean.parseBoolean(expected));
    // The canonical text of the range means the same thing.
    assertThat(v.satisfies(VersionRange.parse(r.text()))).isEqualTo(Boolean.parseBoolean(expected));
  }

  @ParameterizedTest(name = "{0} satisfiable: {1}")
  @MethodSource("satisfiable")
  void satisfiabilityFollowsRust(String range, String expected) {
    assertThat(VersionRange.parse(range).isSatisfiable()).isEqualTo(Boolean.parseBoolean(expected));
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @MethodSource("canonical")
  void rangesPrintCanonically(String input, String canonical) {
    VersionRange r = VersionRange.parse(input);
    assertThat(r.text()).isEqualTo(canonical);
    assertThat(r.toString()).isEqualTo(canonical);
    assertThat(VersionRange.parseStrict(canonical)).isEqualTo(r);
  }

  private static int sign(String relation) {
    return switch (relation) {
      case "<" -> -1;
      case "=" -> 0;
      case ">" -> 1;
      default -> throw new IllegalArgumentException("relation " + relation);
    };
  }
}
