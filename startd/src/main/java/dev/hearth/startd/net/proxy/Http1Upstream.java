package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Last handler of an upstream connection on the HTTP/1.1 path: reads the upstream's responses in
 * place and hands their heads and body bytes to the {@link Http1Frontend} that holds the
 * connection. It finds where each response ends by the rules of RFC 9112 §6.3 and refuses what two
 * parsers could read differently ({@link HeadScan}, {@link ChunkedScan}), because a package's
 * server is as hostile as a client: a connection with a byte past its response, or any byte while
 * pooled, is closed, never reused, so a forged second response cannot answer another request.
 */
final class Http1Upstream extends ChannelInboundHandlerAdapter {
  /** How a response's body ends. */
  enum Framing {
    NONE,
    LENGTH,
    CHUNKED,
    CLOSE
  }

  private final UpstreamPool pool;
  private final InetSocketAddress address;
  private final int maxHeadBytes;
  private final HeadScan scan = new HeadScan();
  private final ChunkedScan chunks;
  private @Nullable ByteBuf in; // read, not yet handed on
  private boolean inHead = true; // waiting for (the rest of) a response head
  private Framing framing = Framing.NONE;
  private long left; // LENGTH: body bytes still to come
  private boolean dataOnly; // CHUNKED: the client wants the chunks' data without their framing
  private boolean keepAlive;

  /** The exchange using this connection; null while pooled. Event loop only. */
  @Nullable Http1Frontend exchange;

  Http1Upstream(UpstreamPool pool, InetSocketAddress address, int maxHeadBytes) {
    this.pool = pool;
    this.address = address;
    this.maxHeadBytes = maxHeadBytes;
    this.chunks = new ChunkedScan(maxHeadBytes);
  }

  /** Back to the pool (or closed when the pool is full). */
  void release(Channel c) {
    c.config().setAutoRead(true); // notice a close, or a stray byte, while pooled
    if (!pool.offer(address, c)) c.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Http1Frontend e = exchange;
    if (e == null || !(msg instanceof ByteBuf buf)) { // nothing may come while pooled
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    ByteBuf b = Cumulation.add(ctx.alloc(), in, buf);
    in = b;
    while (b.isReadable() && exchange == e && in == b) {
      if (inHead) {
        if (!head(ctx, e, b)) break;
      } else {
        body(ctx, e, b);
      }
    }
    if (in == b) in = Cumulation.trim(b);
  }

  /** Reads a head if it is all there; false when reading must stop. */
  private boolean head(ChannelHandlerContext ctx, Http1Frontend e, ByteBuf b) {
    int end = scan.findEnd(b);
    if (end < 0 && b.readableBytes() <= maxHeadBytes) return false;
    if (end < 0 || end - b.readerIndex() > maxHeadBytes || !scan.response(b, end)) {
      e.badResponse(end < 0 ? "response head too large" : String.valueOf(scan.error));
      ctx.close();
      return false;
    }
    int code = scan.status;
    if (code == 101) {
      if (!e.upgrading()) {
        e.badResponse("101 without an upgrade");
        ctx.close();
        return false;
      }
      b.readerIndex(end);
      in = null; // the rest of b (bytes past the 101) now belongs to the relay
      e.switchProtocols(b, scan, ctx.channel());
      return false;
    }
    if (code < 200) { // 1xx: another head follows
      e.informational(b, scan);
      b.readerIndex(end);
      scan.reset();
      return true;
    }
    keepAlive = scan.minor == 1 ? !scan.connectionClose : scan.connectionKeepAlive;
    // A server that wrongly sends a body after a HEAD answer may send it late, when the
    // connection would already carry someone else's request: not reused.
    if (e.headRequest()) keepAlive = false;
    if (e.headRequest() || code == 204 || code == 304) framing = Framing.NONE;
    else if (scan.chunked) framing = Framing.CHUNKED;
    else if (scan.contentLength > 0) framing = Framing.LENGTH;
    else if (scan.contentLength == 0) framing = Framing.NONE;
    else framing = Framing.CLOSE;
    if (framing == Framing.CLOSE) keepAlive = false;
    left = scan.contentLength;
    chunks.reset();
    dataOnly = e.responseHead(b, scan, framing);
    b.readerIndex(end);
    scan.reset(); // the head is written: nothing of it is kept through the body
    if (framing == Framing.NONE) end(e, b);
    else inHead = false;
    return true;
  }

  private void body(ChannelHandlerContext ctx, Http1Frontend e, ByteBuf b) {
    int from = b.readerIndex();
    int to = b.writerIndex();
    switch (framing) {
      case LENGTH -> {
        int n = (int) Math.min(left, to - from);
        left -= n;
        b.readerIndex(from + n);
        e.responseBody(b.retainedSlice(from, n), true);
        if (left == 0) end(e, b);
      }
      case CHUNKED -> {
        int stop = dataOnly ? chunks.next(b, from, to) : chunks.skip(b, from, to);
        if (chunks.failed()) {
          e.brokenResponse();
          ctx.close();
          b.readerIndex(to);
          return;
        }
        b.readerIndex(stop);
        if (!dataOnly || chunks.data) e.responseBody(b.retainedSlice(from, stop - from), true);
        if (chunks.done()) end(e, b);
      }
      case CLOSE -> {
        b.readerIndex(to);
        e.responseBody(b.retainedSlice(from, to - from), true);
      }
      case NONE -> throw new IllegalStateException("a body without framing");
    }
  }

  /** The response is complete; the connection is reusable only if nothing more came. */
  private void end(Http1Frontend e, ByteBuf b) {
    inHead = true;
    framing = Framing.NONE;
    scan.reset();
    e.responseEnd(keepAlive && !b.isReadable());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Http1Frontend e = exchange;
    if (e != null) e.upstreamReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Http1Frontend e = exchange;
    if (e != null) e.upstreamWritable();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.remove(address, ctx.channel());
    Http1Frontend e = exchange;
    exchange = null;
    if (e == null) return;
    if (!inHead && framing == Framing.CLOSE) { // a close-delimited body ends here
      inHead = true;
      e.responseEnd(false);
    } else {
      e.upstreamClosed();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    ReferenceCountUtil.release(in);
    in = null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
