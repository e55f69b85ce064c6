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
    assertThat(UserNamespaces.identityWith(List.of(), ContainerIds.FIRST))
        .containsExactly(new Range(0, 0, ALL));
  }

  @Test
  void anEntryTakesItsHostIdsAndTheIdsItMapsToOutOfTheIdentity() {
    // Another package's uid 1000 (host 101000) shown as this container's root (host 100000).
    List<Range> r =
        UserNamespaces.identityWith(List.of(new IdMap(101_000, 0, 1)), ContainerIds.FIRST);
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
            List.of(new IdMap(100_005, 0, 10), new IdMap(200_000, 1000, 5)), ContainerIds.FIRST);
    assertNoOverlap(r);
    assertThat(r).contains(new Range(100_005, 100_000, 10), new Range(200_000, 101_000, 5));
  }

  @Test
  void overlappingEntriesAndOutOfRangeIdsAreRefused() {
    assertThatThrownBy(() ->
            UserNamespaces.identityWith(
                List.of(new IdMap(101_000, 0, 10), new IdMap(101_005, 100, 10)),
                ContainerIds.FIRST))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() ->
            UserNamespaces.identityWith(
                List.of(new IdMap(101_000, 0, 10), new IdMap(300_000, 5, 1)), ContainerIds.FIRST))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> new IdMap(0, 65_530, 10)).hasMessageContaining("container ids");
    assertThatThrownBy(() -> new IdMap(0, 0, 0)).hasMessageContaining("count");
    assertThatThrownBy(() -> new IdMap(ALL, 0, 1)).hasMessageContaining("host ids");
  }

  @Test
  void entriesMapIntoTheContainersOwnRange() {
    ContainerIds third = ContainerIds.slot(2);
    List<Range> r = UserNamespaces.identityWith(List.of(new IdMap(101_000, 0, 1)), third);
    assertThat(r).contains(new Range(101_000, third.base(), 1));
    assertNoOverlap(r);
  }

  @Test
  void anotherContainersFilesShowWithTheSameIdsHereExceptWhereThePackageSaysOtherwise() {
    ContainerIds owner = ContainerIds.slot(1);
    ContainerIds self = ContainerIds.slot(3);
    // The package asks for the owner's uid 1000 to show as its root.
    List<IdMap> maps = IdMap.ownedBy(owner, List.of(new IdMap(owner.base() + 1000, 0, 1)));
    assertThat(maps)
        .containsExactlyInAnyOrder(
            new IdMap(owner.base() + 1000, 0, 1),
            new IdMap(owner.base() + 1, 1, 999),
            new IdMap(owner.base() + 1001, 1001, ContainerIds.COUNT - 1001));
    List<Range> r = UserNamespaces.identityWith(maps, self);
    assertNoOverlap(r);
    assertThat(r)
        .contains(
            new Range(owner.base() + 1000, self.base(), 1),
            new Range(owner.base() + 1, self.base() + 1, 999));
    // Without entries every one of the owner's ids is the same id here.
    assertThat(IdMap.ownedBy(owner, List.of()))
        .containsExactly(new IdMap(owner.base(), 0, ContainerIds.COUNT));
  }

  @Test
  void rangesAreSlotsOfTheirOwnThatNeverOverlap() {
    assertThat(ContainerIds.FIRST.base()).isEqualTo(100_000);
    assertThat(ContainerIds.slot(1).base()).isEqualTo(165_536);
    assertThat(ContainerIds.slot(1).overlaps(ContainerIds.slot(2))).isFalse();
    assertThat(ContainerIds.slot(1).overlaps(new ContainerIds(200_000))).isTrue();
    assertThat(ContainerIds.slot(7).slot()).isEqualTo(7);
    assertThatThrownBy(() -> ContainerIds.slot(ContainerIds.SLOTS)).hasMessageContaining("slot");
    assertThatThrownBy(() -> new ContainerIds(99_999)).hasMessageContaining("range");
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
