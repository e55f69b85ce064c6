package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Writes the heads a proxy hop passes on (RFC 9110 §7.6.1), from a {@link HeadScan} of the head it
 * received: the start line with the right version, the end-to-end fields copied byte for byte (each
 * line ended with CR LF), hop-by-hop fields left out, and the proxy's own fields added.
 */
final class Http1Heads {
  private static final byte[] CRLF = HeadScan.ascii("\r\n");
  private static final byte[] HTTP_11 = HeadScan.ascii("HTTP/1.1");
  private static final byte[] HTTP_10 = HeadScan.ascii("HTTP/1.0");
  private static final byte[] CHUNKED = HeadScan.ascii("Transfer-Encoding: chunked\r\n");
  private static final byte[] UPGRADE =
      HeadScan.ascii("Connection: upgrade\r\nUpgrade: websocket\r\n");
  private static final byte[] CLOSE = HeadScan.ascii("Connection: close\r\n");
  private static final byte[] KEEP_ALIVE = HeadScan.ascii("Connection: keep-alive\r\n");
  private static final byte[] FORWARDED_HOST = HeadScan.ascii("X-Forwarded-Host: ");

  private Http1Heads() {}

  /**
   * The X-Forwarded-For, -Proto and -Port lines of one client connection (X-Forwarded-Host comes
   * from each request's Host), made once per connection.
   */
  static byte[] forwarding(ProxyHeaders.Forwarding f) {
    return ("X-Forwarded-For: "
            + f.clientIp()
            + "\r\nX-Forwarded-Proto: "
            + f.proto()
            + "\r\nX-Forwarded-Port: "
            + f.port()
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The request head for the upstream, always HTTP/1.1: with {@code forwarding}, the client's
   * Forwarded and X-Forwarded-* replaced by the proxy's; with {@code upgrade}, a WebSocket upgrade
   * asked again (its Connection and Upgrade are hop-by-hop).
   */
  static ByteBuf request(
      ByteBufAllocator alloc,
      ByteBuf in,
      HeadScan s,
      boolean upgrade,
      byte @Nullable [] forwarding) {
    int hostLength = s.host < 0 ? 0 : s.valueEnd[s.host] - s.valueStart[s.host];
    int size =
        s.end - s.start + 64 + (forwarding == null ? 0 : forwarding.length + 24 + hostLength);
    ByteBuf out = alloc.directBuffer(size);
    out.writeBytes(in, s.start, s.versionAt - s.start).writeBytes(HTTP_11).writeBytes(CRLF);
    copyFields(in, s, out, forwarding == null);
    if (s.chunked) out.writeBytes(CHUNKED);
    if (upgrade) out.writeBytes(UPGRADE);
    if (forwarding != null) {
      out.writeBytes(forwarding);
      if (s.host >= 0)
        out.writeBytes(FORWARDED_HOST)
            .writeBytes(in, s.valueStart[s.host], hostLength)
            .writeBytes(CRLF);
    }
    return out.writeBytes(CRLF);
  }

  /**
   * A response head for a client of HTTP/1.{@code minor}. {@code chunked}: the body goes to the
   * client chunked (as it came, or coded by the proxy); {@code keepAlive}: whether the client
   * connection stays open after it.
   */
  static ByteBuf response(
      ByteBufAllocator alloc,
      ByteBuf in,
      HeadScan s,
      int minor,
      boolean chunked,
      boolean keepAlive) {
    ByteBuf out = alloc.directBuffer(s.end - s.start + 64);
    out.writeBytes(minor == 0 ? HTTP_10 : HTTP_11)
        .writeBytes(in, s.start + 8, s.lineEnd - s.start - 8)
        .writeBytes(CRLF);
    copyFields(in, s, out, true);
    if (chunked) out.writeBytes(CHUNKED);
    if (!keepAlive) out.writeBytes(CLOSE);
    else if (minor == 0) out.writeBytes(KEEP_ALIVE);
    return out.writeBytes(CRLF);
  }

  /** A 101 answer to a WebSocket upgrade, for the client. */
  static ByteBuf switching(ByteBufAllocator alloc, ByteBuf in, HeadScan s) {
    ByteBuf out = alloc.directBuffer(s.end - s.start + 64);
    out.writeBytes(in, s.start, s.lineEnd - s.start).writeBytes(CRLF);
    copyFields(in, s, out, true);
    return out.writeBytes(UPGRADE).writeBytes(CRLF);
  }

  /** The end-to-end fields; Transfer-Encoding is left to the caller, Forwarded ones on ask. */
  private static void copyFields(ByteBuf in, HeadScan s, ByteBuf out, boolean keepForwarded) {
    for (int f = 0; f < s.fields; f++) {
      byte k = s.kind[f];
      if (k == HeadScan.HOP_BY_HOP || k == HeadScan.TRANSFER_ENCODING) continue;
      if (k == HeadScan.FORWARDED && !keepForwarded) continue;
      out.writeBytes(in, s.fieldStart[f], s.fieldEnd[f] - s.fieldStart[f]).writeBytes(CRLF);
    }
  }
}
