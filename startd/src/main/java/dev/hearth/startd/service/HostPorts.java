package dev.hearth.startd.service;

import dev.hearth.startd.net.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which host ports a package may have (issue 10 and issue 12 §5: a git forge once got the host's
 * ports 80 and 22). Not the privileged ones (below 1024: the product's own proxy will bind those
 * for services), not the ones the host's own services use whatever their number (SSH, DNS, mDNS),
 * not the daemon's own (even before it listens on them), and not one a program on the host uses now
 * for the protocol asked: a TCP listener, or any bound UDP socket. A package that asks for another
 * gets a free port from the dynamic range instead, or for a range, a refusal.
 */
final class HostPorts {
  static final int FIRST_UNPRIVILEGED = 1024;

  /** The host's own services: SSH, DNS, mDNS (the last is above 1024, so named here). */
  static final Set<Integer> HOST_SERVICES = Set.of(22, 53, 5353);

  private static final List<Path> TCP =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final List<Path> UDP =
      List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
  private static final String LISTEN = "0A"; // TCP_LISTEN in /proc/net/tcp's st column

  private final Set<Integer> daemon;

  /**
   * @param daemon the ports the daemon serves on (HTTP, HTTPS)
   */
  HostPorts(Set<Integer> daemon) {
    this.daemon = Set.copyOf(daemon);
  }

  /** Why {@code port} may not be given to a package for {@code protocols}, or null if it may. */
  @Nullable String refusal(int port, Set<Protocol> protocols) {
    return refusal(port, 1, protocols);
  }

  /**
   * Why one of the {@code count} ports from {@code first} may not be given to a package for {@code
   * protocols} (the first such port's reason), or null if all may.
   */
  @Nullable String refusal(int first, int count, Set<Protocol> protocols) {
    Map<Protocol, Set<Integer>> used = new EnumMap<>(Protocol.class);
    protocols.forEach(p -> used.put(p, inUse(p)));
    for (int port = first; port < first + count; port++) {
      String why = refusal(port, used);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private @Nullable String refusal(int port, Map<Protocol, Set<Integer>> used) {
    if (HOST_SERVICES.contains(port)) {
      return "port " + port + " is the host's own (SSH, DNS or mDNS)";
    }
    if (port < FIRST_UNPRIVILEGED) {
      return "port " + port + " is privileged (below " + FIRST_UNPRIVILEGED + ")";
    }
    if (daemon.contains(port)) {
      return "port " + port + " is the server's own";
    }
    for (var e : used.entrySet()) {
      if (e.getValue().contains(port)) {
        return e.getKey() + " port " + port + " is in use on the host";
      }
    }
    return null;
  }

  /** The ports something on the host uses now for {@code p}. */
  static Set<Integer> inUse(Protocol p) {
    return p == Protocol.TCP ? ports(TCP, true) : ports(UDP, false);
  }

  private static Set<Integer> ports(List<Path> tables, boolean listenersOnly) {
    Set<Integer> ports = new HashSet<>();
    for (Path table : tables) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        continue; // no IPv6, say
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ...; local_address is HEXIP:HEXPORT. A UDP socket has no
        // listening state: any bound one receives on its port.
        if (f.length > 3 && (!listenersOnly || f[3].equals(LISTEN))) {
          String local = f[1];
          ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }
}
