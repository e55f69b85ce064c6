package dev.hearth.exver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import org.junit.jupiter.api.Test;

class ParseErrorTest {

  @Test
  void versionErrorPointsAtTheOffendingCharacter() {
    assertThatThrownBy(() -> Version.parse("1.2.x"))
        .isInstanceOfSatisfying(
            VersionParseException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.PARSE_VERSION);
              assertThat(e.position()).isEqualTo(4);
              assertThat(e.input()).isEqualTo("1.2.x");
            })
        .hasMessage("invalid version \"1.2.x\": expected a number at position 4, found 'x'");
  }

  @Test
  void versionRefusesAnEmptyPrerelease() {
    assertThatThrownBy(() -> Version.parse("1.0-"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(4));
  }

  @Test
  void versionRefusesNumbersBeyondSixtyFourBits() {
    assertThatThrownBy(() -> Version.parse("1.18446744073709551616"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(2))
        .hasMessageContaining("a number below 2^64");
  }

  @Test
  void versionAcceptsLeadingZerosAndTheLargestNumber() {
    assertThat(Version.parse("01.2")).isEqualTo(Version.of(1, 2));
    assertThat(Version.parse("18446744073709551615").toString()).isEqualTo("18446744073709551615");
  }

  @Test
  void extendedVersionRequiresTheDownstreamVersion() {
    assertThatThrownBy(() -> ExtendedVersion.parse("1.2.3"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(5))
        .hasMessageContaining("':' and the downstream version");
  }

  @Test
  void extendedVersionFlavorIsLowercaseOnly() {
    assertThatThrownBy(() -> ExtendedVersion.parse("#Knots:1:0"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(1));
  }

  @Test
  void extendedVersionRefusesTrailingText() {
    assertThatThrownBy(() -> ExtendedVersion.parse("1:0 "))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(3));
  }

  @Test
  void rangeWithNoRangeAtAllIsRefusedAtItsStart() {
    assertThatThrownBy(() -> VersionRange.parse("abc"))
        .isInstanceOfSatisfying(
            VersionParseException.class,
            e -> {
              assertThat(e.position()).isZero();
              assertThat(e.kind()).isEqualTo(ErrorKind.PARSE_VERSION);
            });
    assertThatThrownBy(() -> VersionRange.parse(""))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isZero());
  }

  @Test
  void rangeIgnoresAnUnparseableTailLikeStartOs() {
    // exver.md §2.3: the grammar is not anchored to the end of the input.
    assertThat(VersionRange.parse(">=1 &&")).isEqualTo(VersionRange.parse(">=1"));
    assertThat(VersionRange.parse(">=1 (<2 junk)")).isEqualTo(VersionRange.parse(">=1"));
  }

  @Test
  void strictRangePointsAtWhereTheRangeStoppedMakingSense() {
    assertThatThrownBy(() -> VersionRange.parseStrict(">=1.x"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(4))
        .hasMessageContaining("expected a number");
    assertThatThrownBy(() -> VersionRange.parseStrict("(>=1 <2"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(7))
        .hasMessageContaining("')'");
    assertThatThrownBy(() -> VersionRange.parseStrict(">=1 &&"))
        .isInstanceOfSatisfying(
            VersionParseException.class, e -> assertThat(e.position()).isEqualTo(6));
  }

  @Test
  void rangeWhitespaceIsSpacesOnly() {
    assertThat(VersionRange.parseStrict("( >=1  &&  <2 )")).isEqualTo(VersionRange.parse(">=1 <2"));
    assertThatThrownBy(() -> VersionRange.parseStrict(">=1\t<2"))
        .isInstanceOf(VersionParseException.class);
  }
}
