package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.startd.container.UserNamespaces.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdMapTest {
  private static final long ALL = 0xFFFF_FFFFL;

  @Test
  void withoutEntriesEveryIdKeepsItsMeaning() {
    assertThat(UserNamespaces.identityWith(List.of())).containsExactly(new Range(0, 0, ALL));
  }

  @Test
  void anEntryTakesItsHostIdsAndTheIdsItMapsToOutOfTheIdentity() {
    // Another package's uid 1000 (host 101000) shown as this container's root (host 100000).
    List<Range> r = UserNamespaces.identityWith(List.of(new IdMap(101_000, 0, 1)));
    assertThat(r)
        .containsExactlyInAnyOrder(
            new Range(101_000, 100_000, 1),
            new Range(0, 0, 100_000),
            new Range(100_001, 100_001, 999),
            new Range(101_001, 101_001, ALL - 101_001));
    assertNoOverlap(r);
  }

  @Test
  void entriesWhoseRangesTouchTheirTargetsStayConsistent() {
    List<Range> r =
        UserNamespaces.identityWith(
            List.of(new IdMap(100_005, 0, 10), new IdMap(200_000, 1000, 5)));
    assertNoOverlap(r);
    assertThat(r).contains(new Range(100_005, 100_000, 10), new Range(200_000, 101_000, 5));
  }

  @Test
  void overlappingEntriesAndOutOfRangeIdsAreRefused() {
    assertThatThrownBy(() ->
            UserNamespaces.identityWith(
                List.of(new IdMap(101_000, 0, 10), new IdMap(101_005, 100, 10))))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() ->
            UserNamespaces.identityWith(
                List.of(new IdMap(101_000, 0, 10), new IdMap(300_000, 5, 1))))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> new IdMap(0, 65_530, 10)).hasMessageContaining("container ids");
    assertThatThrownBy(() -> new IdMap(0, 0, 0)).hasMessageContaining("count");
    assertThatThrownBy(() -> new IdMap(ALL, 0, 1)).hasMessageContaining("host ids");
  }

  /** The kernel refuses a map whose inside or outside ranges overlap. */
  private static void assertNoOverlap(List<Range> ranges) {
    for (int i = 0; i < ranges.size(); i++) {
      for (int j = 0; j < i; j++) {
        Range a = ranges.get(i);
        Range b = ranges.get(j);
        assertThat(a.inside() < b.inside() + b.count() && b.inside() < a.inside() + a.count())
            .as("inside %s %s", a, b)
            .isFalse();
        assertThat(a.outside() < b.outside() + b.count() && b.outside() < a.outside() + a.count())
            .as("outside %s %s", a, b)
            .isFalse();
      }
    }
  }
}
