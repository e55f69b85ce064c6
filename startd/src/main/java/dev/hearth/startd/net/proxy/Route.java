package dev.hearth.startd.net.proxy;

import java.net.InetSocketAddress;
import java.util.Set;

/** What the proxy does with one client connection; chosen by the {@link Router}. */
public sealed interface Route {
  InetSocketAddress upstream();

  /**
   * Terminate TLS with a certificate for {@code names} (DNS names and IP literals), then
   * reverse-proxy HTTP/1.1, HTTP/2 (ALPN h2) and WebSocket upgrades to {@code upstream} over plain
   * HTTP/1.1. With {@code forwardedHeaders}, any client-sent {@code X-Forwarded-For/-Proto/-Host/
   * -Port} and {@code Forwarded} are removed and {@code X-Forwarded-For/Proto/Host/Port} set. On a
   * {@link Listener.Plain}: plain HTTP proxying.
   */
  record Http(InetSocketAddress upstream, Set<String> names, boolean forwardedHeaders)
      implements Route {
    public Http {
      names = Set.copyOf(names);
    }
  }

  /**
   * Terminate TLS (on a {@link Listener.Tls}, no ALPN) then relay bytes both ways; on a plain
   * listener just relay, passing half-close on.
   */
  record Tcp(InetSocketAddress upstream, Set<String> names) implements Route {
    public Tcp {
      names = Set.copyOf(names);
    }
  }

  /** Relay the client's TLS bytes untouched; the ClientHello already read is replayed first. */
  record Passthrough(InetSocketAddress upstream) implements Route {}
}
