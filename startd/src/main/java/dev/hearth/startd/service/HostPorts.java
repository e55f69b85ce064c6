package dev.hearth.startd.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which host ports a package may ask for (issue 10: a package once took the host's ports 22 and
 * 80). Not the privileged ones (below 1024: the product's own proxy will bind those for services),
 * not the daemon's own (even before it listens on them), and not one any program on the host
 * listens on. A package that asks for another gets any free port instead, or for a range, a
 * refusal.
 */
final class HostPorts {
  static final int FIRST_UNPRIVILEGED = 1024;
  private static final List<Path> LISTENERS =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String LISTEN = "0A"; // TCP_LISTEN in /proc/net/tcp's st column

  private final Set<Integer> daemon;

  /**
   * @param daemon the ports the daemon serves on (HTTP, HTTPS)
   */
  HostPorts(Set<Integer> daemon) {
    this.daemon = Set.copyOf(daemon);
  }

  /** Why {@code port} may not be given to a package, or null if it may. */
  String refusal(int port) {
    if (port < FIRST_UNPRIVILEGED) {
      return "port " + port + " is privileged (below " + FIRST_UNPRIVILEGED + ")";
    }
    if (daemon.contains(port)) {
      return "port " + port + " is the server's own";
    }
    if (listening().contains(port)) {
      return "port " + port + " is in use on the host";
    }
    return null;
  }

  /** The TCP ports something on the host listens on now. */
  static Set<Integer> listening() {
    Set<Integer> ports = new HashSet<>();
    for (Path table : LISTENERS) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        continue; // no IPv6, say
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ...; local_address is HEXIP:HEXPORT
        if (f.length > 3 && f[3].equals(LISTEN)) {
          String local = f[1];
          ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }
}
