package dev.hearth.exver;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Seeded random versions and ranges for property tests. Values come from small pools so that equal
 * versions, shared prefixes and same-flavor pairs are common.
 */
final class Generators {
  private static final long[] NUMBERS = {0, 1, 2, 3, 10};
  private static final String[] SEGMENTS = {
    "alpha", "beta", "rc", "0", "1", "2", "11", "rc1", "A-b"
  };
  private static final @Nullable String[] FLAVORS = {null, null, null, "knots", "a"};

  private final RandomGenerator random;

  Generators(RandomGenerator random) {
    this.random = random;
  }

  Version version() {
    int n = 1 + random.nextInt(4);
    List<Long> numbers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      numbers.add(NUMBERS[random.nextInt(NUMBERS.length)]);
    }
    List<Segment> prerelease = new ArrayList<>();
    if (random.nextInt(4) == 0) {
      int m = 1 + random.nextInt(2);
      for (int i = 0; i < m; i++) {
        prerelease.add(Segment.of(SEGMENTS[random.nextInt(SEGMENTS.length)]));
      }
    }
    return Version.of(numbers, prerelease);
  }

  @Nullable String flavor() {
    return FLAVORS[random.nextInt(FLAVORS.length)];
  }

  ExtendedVersion exver() {
    return exver(flavor());
  }

  ExtendedVersion exver(@Nullable String flavor) {
    Version downstream = random.nextBoolean() ? Version.of(0) : version();
    return new ExtendedVersion(flavor, version(), downstream);
  }

  VersionRange range() {
    return range(3);
  }

  private VersionRange range(int depth) {
    int choice = random.nextInt(depth == 0 ? 5 : 8);
    return switch (choice) {
      case 0, 1 -> {
        var ops = VersionRange.Op.values();
        yield VersionRange.anchor(ops[random.nextInt(ops.length)], exver());
      }
      case 2 -> random.nextBoolean() ? VersionRange.caret(exver()) : VersionRange.tilde(exver());
      case 3 -> VersionRange.flavor(flavor());
      case 4 -> random.nextInt(3) == 0 ? VersionRange.NONE : VersionRange.ANY;
      case 5 -> VersionRange.and(range(depth - 1), range(depth - 1));
      case 6 -> VersionRange.or(range(depth - 1), range(depth - 1));
      default -> VersionRange.not(range(depth - 1));
    };
  }
}
