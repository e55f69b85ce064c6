package dev.hearth.startd.net;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * A kernel port forward: {@code count} host ports from {@code externalStart}, for {@code protocol},
 * to the same number of ports from {@code targetStart} at {@code target} (a container), port by
 * port.
 */
public record Dnat(
    Protocol protocol, int externalStart, int count, Inet4Address target, int targetStart) {
  public Dnat {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(target, "target");
    if (count < 1 || externalStart < 1 || externalStart + count - 1 > 65535) {
      throw new IllegalArgumentException(
          "external ports " + externalStart + "+" + count + " are not within 1-65535");
    }
    if (targetStart < 1 || targetStart + count - 1 > 65535) {
      throw new IllegalArgumentException(
          "target ports " + targetStart + "+" + count + " are not within 1-65535");
    }
  }

  /** Whether the two take a common host port for the same protocol. */
  public boolean overlaps(Dnat o) {
    return protocol == o.protocol
        && o.externalStart < externalStart + count
        && externalStart < o.externalStart + o.count;
  }
}
