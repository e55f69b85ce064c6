package dev.hearth.startd.net.proxy;

import java.time.Duration;

/**
 * The bounds that keep one client from taking the proxy down.
 *
 * @param maxHeaderBytes request line plus headers; a larger head gets 431 and the connection closes
 * @param headerTimeout from accept (or the first byte of a later request) to its whole request
 *     head: the ClientHello and TLS handshake count too; a slow-loris client is closed after it
 * @param idleTimeout a connection with no byte read or written for this long is closed
 * @param maxConnectionsPerClient open connections per remote IP; one more is closed at once
 * @param maxConnections open client connections in total; one more is closed at once
 * @param connectTimeout to an upstream; past it the client gets 504
 */
public record ProxyLimits(
    int maxHeaderBytes,
    Duration headerTimeout,
    Duration idleTimeout,
    int maxConnectionsPerClient,
    int maxConnections,
    Duration connectTimeout) {
  public ProxyLimits {
    if (maxHeaderBytes < 1024)
      throw new IllegalArgumentException("maxHeaderBytes must be >= 1024: " + maxHeaderBytes);
    for (var d : new Duration[] {headerTimeout, idleTimeout, connectTimeout})
      if (!d.isPositive()) throw new IllegalArgumentException("timeouts must be > 0: " + d);
    if (maxConnectionsPerClient < 1 || maxConnections < maxConnectionsPerClient)
      throw new IllegalArgumentException(
          "need 1 <= maxConnectionsPerClient ("
              + maxConnectionsPerClient
              + ") <= maxConnections ("
              + maxConnections
              + ")");
  }

  /**
   * 16 KiB heads (as nginx's large_client_header_buffers), 10 s heads, 5 min idle, 512 per client
   * (a browser opens ~6 per host; a NATed household many hosts), 20,000 in all, 5 s to connect.
   */
  public static ProxyLimits defaults() {
    return new ProxyLimits(
        16 * 1024,
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        512,
        20_000,
        Duration.ofSeconds(5));
  }

  public ProxyLimits withHeaderTimeout(Duration d) {
    return new ProxyLimits(
        maxHeaderBytes, d, idleTimeout, maxConnectionsPerClient, maxConnections, connectTimeout);
  }

  public ProxyLimits withIdleTimeout(Duration d) {
    return new ProxyLimits(
        maxHeaderBytes, headerTimeout, d, maxConnectionsPerClient, maxConnections, connectTimeout);
  }

  public ProxyLimits withConnections(int perClient, int total) {
    return new ProxyLimits(
        maxHeaderBytes, headerTimeout, idleTimeout, perClient, total, connectTimeout);
  }
}
