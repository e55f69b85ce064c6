package dev.hearth.startd.net.proxy;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The header rewriting of a proxy hop (RFC 9110 §7.6.1), on request and response heads. */
final class ProxyHeaders {
  // Names as cached AsciiStrings: their hash is computed once, not at every lookup.
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");

  private ProxyHeaders() {}

  /** Whether {@code req} asks for a WebSocket upgrade (RFC 6455 §4.1). */
  static boolean isWebSocketUpgrade(HttpRequest req) {
    HttpHeaders h = req.headers();
    return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && h.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /**
   * Makes {@code req} an HTTP/1.1 request for the upstream: hop-by-hop headers removed (kept:
   * chunked framing, which the encoder re-applies; a WebSocket upgrade when asked), HTTP/2
   * pseudo-header extensions dropped, a body without length framed as chunked, and with {@code
   * forwarding} the client's X-Forwarded-* and Forwarded replaced by ours.
   */
  static void prepareRequest(
      HttpRequest req, boolean upgrade, @Nullable Forwarding forwarding, boolean h2) {
    HttpHeaders h = req.headers();
    boolean chunked = HttpUtil.isTransferEncodingChunked(req);
    removeHopByHop(h);
    if (chunked) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    if (h2) {
      List<String> ext = new ArrayList<>();
      for (var e : h) if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) ext.add(e.getKey());
      ext.forEach(h::remove);
      if (!(req instanceof FullHttpRequest) && !h.contains(HttpHeaderNames.CONTENT_LENGTH))
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (upgrade) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
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

  /** Removes Connection and the headers it names, and the fixed hop-by-hop set. */
  static void removeHopByHop(HttpHeaders h) {
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

  /**
   * Makes an upstream's response head right for the client. Returns whether the client connection
   * stays open after it.
   *
   * @param bodyless HEAD request, or a status that never has a body (204, 304)
   */
  static boolean prepareResponse(
      HttpMessage res, boolean clientKeepAlive, boolean http10, boolean bodyless, boolean h2) {
    HttpHeaders h = res.headers();
    boolean chunked = HttpUtil.isTransferEncodingChunked(res);
    boolean length = h.contains(HttpHeaderNames.CONTENT_LENGTH);
    removeHopByHop(h);
    boolean keepAlive = clientKeepAlive;
    if (!bodyless && !length) {
      if (h2) {
        // HTTP/2 frames the body itself.
      } else if (http10) {
        keepAlive = false; // close-delimited: no chunked coding for HTTP/1.0
      } else {
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    } else if (chunked && bodyless) {
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!h2) {
      res.setProtocolVersion(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
      if (!keepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      else if (http10) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return keepAlive;
  }
}
