package dev.hearth.startd.net;

import java.net.InetAddress;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which network interfaces are the server's gateways.
 *
 * @param only when set, the one interface holding this address, with only this address (the daemon
 *     was told to listen on one address; tests use 127.0.0.1)
 * @param names when not empty, only these interfaces
 * @param excluded interfaces that are ours, never gateways (the containers' bridge)
 * @param excludedPrefix a name prefix of our own interfaces (the containers' veths)
 */
public record GatewayChoice(
    @Nullable InetAddress only, Set<String> names, Set<String> excluded, String excludedPrefix) {
  public GatewayChoice {
    names = Set.copyOf(names);
    excluded = Set.copyOf(excluded);
  }

  boolean admits(String name) {
    return !excluded.contains(name)
        && (excludedPrefix.isEmpty() || !name.startsWith(excludedPrefix))
        && (names.isEmpty() || names.contains(name));
  }
}
