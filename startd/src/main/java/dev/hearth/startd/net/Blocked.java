package dev.hearth.startd.net;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address the user turned off: packets to {@code address:port} (TCP and UDP) are refused, both
 * those for the host's own listeners and those a port forward would pass to a container.
 */
public record Blocked(InetAddress address, int port) {
  public Blocked {
    Objects.requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
  }
}
