package dev.hearth.registry;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a registry runs.
 *
 * @param dataDir its database and package files
 * @param listen where it answers
 * @param hostnames the names clients address it by: the contexts a signed request may be signed for
 *     (rpc.md §2.4)
 * @param publicUrl the base URL of its download links; empty: the one each client addressed
 * @param name its name, on first start
 * @param admins PEM files of public keys made admins at start (idempotent): how the first admin
 *     comes to be
 * @param maxPackageBytes the largest package file it accepts
 */
public record RegistryConfig(
    Path dataDir,
    List<InetSocketAddress> listen,
    List<String> hostnames,
    String publicUrl,
    String name,
    List<Path> admins,
    long maxPackageBytes) {
  public static final long DEFAULT_MAX_PACKAGE_BYTES = 8L << 30;

  public RegistryConfig {
    listen = List.copyOf(listen);
    hostnames = List.copyOf(hostnames);
    admins = List.copyOf(admins);
  }

  /**
   * Reads {@code --data-dir DIR --listen HOST:PORT --hostname NAME --public-url URL --name NAME
   * --admin PEMFILE --max-package-bytes N}; the repeatable ones may be given several times.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RegistryConfig parse(String[] args) {
    Path data = Path.of("registry-data");
    List<InetSocketAddress> listen = new ArrayList<>();
    List<String> hostnames = new ArrayList<>();
    String publicUrl = "";
    String name = "Hearth Registry";
    List<Path> admins = new ArrayList<>();
    long max = DEFAULT_MAX_PACKAGE_BYTES;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      i++;
      switch (flag) {
        case "--data-dir" -> data = Path.of(value);
        case "--listen" -> listen.add(address(value));
        case "--hostname" -> hostnames.add(value);
        case "--public-url" ->
            publicUrl = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        case "--name" -> name = value;
        case "--admin" -> admins.add(Path.of(value));
        case "--max-package-bytes" -> max = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (listen.isEmpty()) {
      listen.add(new InetSocketAddress("127.0.0.1", 5959));
    }
    if (hostnames.isEmpty()) {
      hostnames.add("localhost");
    }
    return new RegistryConfig(data, listen, hostnames, publicUrl, name, admins, max);
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen is HOST:PORT, not " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
