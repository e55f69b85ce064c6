package dev.hearth.startd.net.proxy;

import java.net.InetSocketAddress;

/** An address the proxy accepts connections on, and what it does with them. */
public sealed interface Listener {
  InetSocketAddress bind();

  /** TLS: the ClientHello's SNI is read, then the {@link Router} decides. */
  record Tls(InetSocketAddress bind) implements Listener {}

  /** No TLS: the {@link Router} decides with {@code sni == null} (raw TCP forward, or HTTP). */
  record Plain(InetSocketAddress bind) implements Listener {}

  /**
   * Port 80: answers every request with a 301 (GET, HEAD) or 308 redirect to {@code https://<Host
   * without port>[:httpsPort]<path>}, then closes. Small, bounded HTTP/1.1 only.
   */
  record RedirectToHttps(InetSocketAddress bind, int httpsPort) implements Listener {
    public RedirectToHttps {
      if (httpsPort < 1 || httpsPort > 65535)
        throw new IllegalArgumentException("httpsPort must be 1..65535: " + httpsPort);
    }
  }
}
