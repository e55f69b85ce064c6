package dev.hearth.startd.net.proxy;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The header rewriting of a proxy hop (RFC 9110 §7.6.1) for HTTP/2 streams, whose heads Netty
 * decodes into objects; the HTTP/1.1 path rewrites bytes ({@link Http1Heads}).
 */
final class ProxyHeaders {
  // Names as cached AsciiStrings: their hash is computed once, not at every lookup.
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");

  private ProxyHeaders() {}

  /**
   * Makes a stream's {@code req} an HTTP/1.1 request for the upstream: hop-by-hop headers removed,
   * the codec's pseudo-header extensions dropped, a body without length framed as chunked, and with
   * {@code forwarding} the client's X-Forwarded-* and Forwarded replaced by ours.
   */
  static void prepareRequest(HttpRequest req, @Nullable Forwarding forwarding) {
    HttpHeaders h = req.headers();
    removeHopByHop(h);
    List<String> ext = new ArrayList<>();
    for (var e : h) if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) ext.add(e.getKey());
    ext.forEach(h::remove);
    if (!(req instanceof FullHttpRequest) && !h.contains(HttpHeaderNames.CONTENT_LENGTH))
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
    if (forwarding != null) {
      String host = h.get(HttpHeaderNames.HOST);
      h.remove(FORWARDED).remove(X_FORWARDED_HOST);
      h.set(X_FORWARDED_FOR, forwarding.clientIp());
      h.set(X_FORWARDED_PROTO, forwarding.proto());
      if (host != null) h.set(X_FORWARDED_HOST, host);
      h.set(X_FORWARDED_PORT, forwarding.port());
    }
  }

  /**
   * The X-Forwarded-* values of one client connection, made once per connection rather than per
   * request.
   */
  record Forwarding(String clientIp, String proto, String port) {
    static Forwarding of(InetSocketAddress client, InetSocketAddress local, boolean tls) {
      return new Forwarding(
          client.getAddress().getHostAddress(),
          tls ? "https" : "http",
          Integer.toString(local.getPort()));
    }
  }

  /** Makes an upstream's response head right for an HTTP/2 stream, which frames the body itself. */
  static void prepareResponse(HttpMessage res) {
    removeHopByHop(res.headers());
  }

  /** Removes Connection and the headers it names, and the fixed hop-by-hop set. */
  private static void removeHopByHop(HttpHeaders h) {
    if (h.contains(HttpHeaderNames.CONNECTION)) {
      for (String c : h.getAll(HttpHeaderNames.CONNECTION))
        for (String token : c.split(",")) {
          String t = token.trim();
          if (!t.isEmpty()) h.remove(t);
        }
      h.remove(HttpHeaderNames.CONNECTION);
    }
    h.remove(HttpHeaderNames.KEEP_ALIVE)
        .remove(PROXY_CONNECTION)
        .remove(HttpHeaderNames.TE)
        .remove(HttpHeaderNames.TRAILER)
        .remove(HttpHeaderNames.TRANSFER_ENCODING)
        .remove(HttpHeaderNames.UPGRADE);
  }
}
