package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's hot path: one client HTTP/1.x connection proxied to an upstream over HTTP/1.1, bytes
 * in, bytes out.
 *
 * <h2>Design</h2>
 *
 * <p><b>Bytes, not objects.</b> A request head is found and read in place in the bytes the client
 * sent ({@link HeadScan}), written again for the upstream with the hop-by-hop fields out and the
 * X-Forwarded-* fields in ({@link Http1Heads}), and its body passed on as slices of the same
 * buffers: a Content-Length body by count, a chunked one as it came, its end found by {@link
 * ChunkedScan}. Responses come back the same way ({@link Http1Upstream}). Nothing decodes a header
 * into strings or maps, which was most of the Java time of Netty's HTTP codecs on this path. HTTP/2
 * streams keep those codecs ({@link Http2StreamFrontend}).
 *
 * <p><b>Threading.</b> Everything runs on the client channel's event loop; upstream connections are
 * opened on the same loop and pooled per loop ({@link UpstreamPool}), so nothing is locked.
 *
 * <p><b>One exchange at a time.</b> The bytes read and not yet passed on are held in {@code in}.
 * Reading stays on (auto-read) while requests flow, and stops only when what was read must wait:
 * while the upstream connects, while it is not writable (upload back-pressure), and when a
 * pipelining client's next request arrives before the current response ends. So at most one read is
 * held, and a pipelining client is answered in order.
 *
 * <p><b>Back-pressure.</b> The upstream's auto-read follows the client's writability, so a slow
 * client leaves at most the water mark (64 KiB) plus one read queued.
 *
 * <p><b>Invariants.</b> {@code upstream != null} exactly while an exchange holds an upstream
 * connection, whose {@link Http1Upstream} then points back here. A response that has started cannot
 * become an error page: on failure the client is closed instead. A request is sent again at most
 * once: when it is idempotent and bodiless and the pooled connection it went on closes before any
 * answer (the upstream had dropped it as idle). A WebSocket upgrade answered 101 turns both
 * channels into a {@link Relay} pair, the bytes either side held past the heads passed on first.
 *
 * <p>References: RFC 9112 (message framing, §11.2 request smuggling), RFC 9110 §7.6.1 (hop-by-hop
 * fields), Netty's {@code HexDumpProxyFrontendHandler} (same-loop upstream, auto-read
 * back-pressure).
 */
final class Http1Frontend extends ChannelInboundHandlerAdapter {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(Http1Frontend.class);
  private static final byte[] CRLF = HeadScan.ascii("\r\n");
  private static final byte[] LAST_CHUNK = HeadScan.ascii("0\r\n\r\n");

  /** 1xx heads one exchange may pass on; past them the upstream is flooding. */
  private static final int MAX_INFORMATIONAL = 8;

  /** How a response body goes to the client. */
  private enum Coding {
    AS_IS, // as it came: by length, chunked, or until the close
    DECHUNKED, // chunked from the upstream, its data alone to an HTTP/1.0 client (until the close)
    CHUNKED // until the upstream's close, coded as chunks for an HTTP/1.1 client
  }

  private final ProxyContext context;
  private final Route.Http route;
  private final boolean tls;
  private final Timeouts timeouts;
  private final HeadScan scan = new HeadScan();
  private @Nullable ChunkedScan chunks; // made at the first chunked request
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ByteBuf in; // read from the client, not yet passed on
  private byte @Nullable [] forwarding; // this connection's X-Forwarded-* lines, made once

  // The current exchange; event loop only.
  private boolean exchangeOpen; // from a head to the end of its exchange
  private long bodyLeft; // request body bytes still to pass on; -1: chunked
  private boolean requestDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean clientKeepAlive;
  private boolean upstreamReusable;
  private int minor; // the client's HTTP/1.minor
  private boolean headRequest;
  private boolean upgrade; // WebSocket upgrade asked
  private boolean connecting;
  private boolean closing; // the last answer is being flushed, then the connection closes
  private int informationals; // 1xx heads of this exchange
  private boolean readWhenWritable; // body bytes wait for the upstream to drain
  private boolean unflushed; // response bytes written to the client and not flushed yet
  private boolean upstreamUnflushed;
  private Coding coding = Coding.AS_IS;
  private @Nullable Channel upstream;
  private @Nullable Http1Upstream upstreamHandler;
  private @Nullable ByteBuf replay; // sent on a reused connection, no answer yet: may go again

  Http1Frontend(ProxyContext context, Route.Http route, boolean tls, Timeouts timeouts) {
    this.context = context;
    this.route = route;
    this.tls = tls;
    this.timeouts = timeouts;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf) || closing) { // nothing more is read once closing
      ReferenceCountUtil.release(msg);
      return;
    }
    in = Cumulation.add(ctx.alloc(), in, buf);
    process();
  }

  /** Passes on what can go now; stops reading when what is held must wait. */
  private void process() {
    ByteBuf b = in;
    while (b != null && b.isReadable() && ctx().channel().isActive()) {
      if (!exchangeOpen) {
        if (!startExchange(b)) break;
      } else if (requestDone || connecting || readWhenWritable || upstream == null) {
        break; // it waits for the response, the connection or the upstream to drain
      } else {
        passBody(b);
      }
      b = in;
    }
    if (upstreamUnflushed && upstream != null) {
      upstreamUnflushed = false;
      upstream.flush();
    }
    in = Cumulation.trim(in);
    if (in != null && exchangeOpen && (requestDone || connecting || readWhenWritable))
      ctx().channel().config().setAutoRead(false);
  }

  /** Reads and sends a request head when it is all there; false when more bytes are needed. */
  private boolean startExchange(ByteBuf b) {
    int max = context.limits.maxHeaderBytes();
    int end = scan.findEnd(b);
    if (end < 0 && b.readableBytes() <= max) return false;
    exchangeOpen = true;
    responseStarted = responseDone = upstreamReusable = headRequest = false;
    clientKeepAlive = false;
    informationals = 0;
    if (end < 0 || end - b.readerIndex() > max) {
      refuse(431, "request head too large");
      return false;
    }
    if (!scan.request(b, end)) {
      refuse(scan.errorStatus, String.valueOf(scan.error));
      return false;
    }
    timeouts.headReceived();
    minor = scan.minor;
    clientKeepAlive = minor == 1 ? !scan.connectionClose : scan.connectionKeepAlive;
    headRequest = scan.headMethod;
    upgrade = scan.upgradeWebSocket;
    bodyLeft = scan.chunked ? -1 : Math.max(0, scan.contentLength);
    if (scan.chunked) chunks().reset();
    requestDone = bodyLeft == 0;
    ByteBuf head = Http1Heads.request(ctx().alloc(), b, scan, upgrade, forwarding(ctx().channel()));
    boolean replayable = requestDone && scan.idempotent;
    b.readerIndex(end);
    scan.reset();
    Channel ch = ctx().channel();
    Channel idle = context.http1Pool(ch.eventLoop()).poll(route.upstream());
    if (idle != null) {
      attach(idle, idle.pipeline().get(Http1Upstream.class));
      if (replayable) replay = head.retainedDuplicate();
      send(head);
    } else {
      open(ch, head);
    }
    return true;
  }

  /** The X-Forwarded-* lines, or null when the route does not want them. */
  private byte @Nullable [] forwarding(Channel ch) {
    if (!route.forwardedHeaders()) return null;
    if (forwarding == null)
      forwarding =
          Http1Heads.forwarding(
              ProxyHeaders.Forwarding.of(
                  (InetSocketAddress) ch.remoteAddress(),
                  (InetSocketAddress) ch.localAddress(),
                  tls));
    return forwarding;
  }

  private ChunkedScan chunks() {
    if (chunks == null) chunks = new ChunkedScan(context.limits.maxHeaderBytes());
    return chunks;
  }

  /** Opens a new upstream connection and sends {@code head} on it. */
  private void open(Channel ch, ByteBuf head) {
    connecting = true;
    UpstreamPool pool = context.http1Pool(ch.eventLoop());
    var handler = new Http1Upstream(pool, route.upstream(), context.limits.maxHeaderBytes() * 4);
    var limits = context.limits;
    ChannelFuture f =
        pool.connect(
            ch.eventLoop(),
            route.upstream(),
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel c) {
                c.pipeline()
                    .addLast("idle", new IdleTimeout(limits.idleTimeout()))
                    .addLast("upstream", handler);
              }
            },
            false);
    // Always a task of the client's loop: a channel that could not be made fails its future at
    // once, on Netty's global executor or inside this call (which would nest the next pipelined
    // request's exchange in this one's).
    f.addListener(done -> ch.eventLoop().execute(() -> connected(ch, f, handler, head)));
  }

  private void connected(Channel ch, ChannelFuture f, Http1Upstream handler, ByteBuf head) {
    connecting = false;
    if (!ch.isActive()) {
      head.release();
      f.channel().close();
    } else if (!f.isSuccess()) {
      head.release();
      if (!requestDone) clientKeepAlive = false; // its body was never read
      boolean timeout = f.cause() instanceof ConnectTimeoutException;
      fail(timeout ? 504 : 502, timeout ? "upstream connect timed out" : "upstream unreachable");
    } else {
      attach(f.channel(), handler);
      send(head);
      resume();
    }
  }

  private void attach(Channel up, Http1Upstream handler) {
    upstream = up;
    upstreamHandler = handler;
    handler.exchange = this;
    up.config().setAutoRead(ctx().channel().isWritable());
  }

  private void send(ByteBuf head) {
    upstream().write(head, upstream().voidPromise());
    upstreamUnflushed = true;
  }

  /** Passes on as much of the request body as {@code b} holds. */
  private void passBody(ByteBuf b) {
    Channel up = upstream();
    int from = b.readerIndex();
    int to = b.writerIndex();
    int stop;
    if (bodyLeft > 0) {
      stop = from + (int) Math.min(bodyLeft, to - from);
      bodyLeft -= stop - from;
      requestDone = bodyLeft == 0;
    } else {
      ChunkedScan c = chunks();
      stop = c.skip(b, from, to);
      if (c.failed()) {
        clientKeepAlive = false;
        b.readerIndex(to);
        fail(400, "bad chunked body");
        return;
      }
      requestDone = c.done();
    }
    b.readerIndex(stop);
    up.write(b.retainedSlice(from, stop - from), up.voidPromise());
    upstreamUnflushed = true;
    // (An answer that came first ended the exchange already: this runs only before it.)
    if (!requestDone && !up.isWritable()) readWhenWritable = true;
  }

  /** Reading on (after a pause), and what was held is passed on. */
  private void resume() {
    var config = ctx().channel().config();
    if (!config.isAutoRead()) config.setAutoRead(true);
    process();
  }

  // ---- upstream events (Http1Upstream calls these on the same event loop) ----

  boolean headRequest() {
    return headRequest;
  }

  boolean upgrading() {
    return upgrade;
  }

  /** A 1xx head: passed on to an HTTP/1.1 client (HTTP/1.0 has none). */
  void informational(ByteBuf b, HeadScan s) {
    releaseReplay();
    if (++informationals > MAX_INFORMATIONAL) {
      badResponse("more than " + MAX_INFORMATIONAL + " 1xx answers");
      return;
    }
    if (minor == 0) return;
    ChannelHandlerContext ctx = ctx();
    ctx.write(Http1Heads.response(ctx.alloc(), b, s, 1, false, true), ctx.voidPromise());
    unflushed = true;
    stopUpstreamWhenClientFull();
  }

  /**
   * A final response head; returns whether its chunked body is wanted as data alone (the client
   * speaks HTTP/1.0).
   */
  boolean responseHead(ByteBuf b, HeadScan s, Http1Upstream.Framing framing) {
    releaseReplay();
    responseStarted = true;
    upstreamReusable = false;
    coding = Coding.AS_IS;
    boolean chunked =
        framing == Http1Upstream.Framing.CHUNKED || (headRequest && s.chunked && minor == 1);
    if (minor == 0 && framing == Http1Upstream.Framing.CHUNKED) {
      coding = Coding.DECHUNKED;
      chunked = false;
    } else if (minor == 1 && framing == Http1Upstream.Framing.CLOSE) {
      coding = Coding.CHUNKED;
      chunked = true;
    }
    if (minor == 0 && (framing == Http1Upstream.Framing.CLOSE || coding == Coding.DECHUNKED))
      clientKeepAlive = false; // its end is the close
    ChannelHandlerContext ctx = ctx();
    ctx.write(
        Http1Heads.response(ctx.alloc(), b, s, minor, chunked, clientKeepAlive), ctx.voidPromise());
    unflushed = true;
    return coding == Coding.DECHUNKED;
  }

  void responseBody(ByteBuf part, boolean data) {
    ChannelHandlerContext ctx = ctx();
    if (!part.isReadable()) {
      part.release();
      return;
    }
    if (coding == Coding.CHUNKED) {
      ctx.write(
          ByteBufUtil.writeAscii(ctx.alloc(), Integer.toHexString(part.readableBytes()) + "\r\n"),
          ctx.voidPromise());
      ctx.write(part, ctx.voidPromise());
      ctx.write(Unpooled.wrappedBuffer(CRLF), ctx.voidPromise());
    } else {
      ctx.write(part, ctx.voidPromise());
    }
    unflushed = true;
    stopUpstreamWhenClientFull();
  }

  /**
   * The writability event comes later (Netty defers it to a task), and the upstream's read loop
   * would go on for up to 16 reads (1 MiB) meanwhile: stop it as soon as the client is full.
   */
  private void stopUpstreamWhenClientFull() {
    Channel up = upstream;
    if (up != null && !ctx().channel().isWritable()) up.config().setAutoRead(false);
  }

  /** The response is complete; {@code reusable}: the upstream connection may serve another. */
  void responseEnd(boolean reusable) {
    ChannelHandlerContext ctx = ctx();
    if (coding == Coding.CHUNKED) ctx.write(Unpooled.wrappedBuffer(LAST_CHUNK), ctx.voidPromise());
    responseDone = true;
    upstreamReusable = reusable;
    unflushed = false;
    ctx.flush();
    if (!requestDone) clientKeepAlive = false; // answered early: the rest of the body is not read
    finish();
  }

  void upstreamReadComplete() {
    if (unflushed) {
      unflushed = false;
      ctx().flush();
    }
  }

  void upstreamWritable() {
    if (readWhenWritable && upstream != null && upstream.isWritable()) {
      readWhenWritable = false;
      resume();
    }
  }

  /** The upstream's answer is malformed: 502 if nothing went to the client yet, else closed. */
  void badResponse(String why) {
    log.debug("bad response from {}: {}", route.upstream(), why);
    detach(false);
    clientKeepAlive = false;
    fail(502, "bad response from the service");
  }

  /** The upstream's body is malformed mid-way: the client sees a truncated answer. */
  void brokenResponse() {
    detach(false);
    ctx().close();
  }

  void upstreamClosed() {
    ByteBuf again = replay;
    replay = null;
    detach(false);
    if (again != null && !responseStarted) {
      log.debug("pooled upstream {} closed on reuse: request sent again", route.upstream());
      open(ctx().channel(), again);
      return;
    }
    ReferenceCountUtil.release(again);
    if (!responseStarted) {
      clientKeepAlive = false;
      fail(502, "upstream closed the connection");
    } else if (!responseDone) {
      ctx().close(); // a truncated answer must look truncated
    }
  }

  /**
   * The upstream answered 101 to a WebSocket upgrade: the 101 goes to the client and both channels
   * become a byte relay; {@code rest} holds what the upstream sent past the 101.
   */
  void switchProtocols(ByteBuf rest, HeadScan s, Channel up) {
    ChannelHandlerContext ctx = ctx();
    Channel client = ctx.channel();
    releaseReplay();
    ctx.write(Http1Heads.switching(ctx.alloc(), rest, s), ctx.voidPromise());
    if (rest.isReadable()) ctx.write(rest, ctx.voidPromise());
    else rest.release();
    ctx.flush();
    ByteBuf held = in;
    in = null;
    upstream = null;
    upstreamHandler = null;
    up.pipeline().replace(Http1Upstream.class, "relay", new Relay(client));
    client.pipeline().replace(this, "relay", new Relay(up));
    if (held != null && held.isReadable()) up.writeAndFlush(held, up.voidPromise());
    else ReferenceCountUtil.release(held);
    client.closeFuture().addListener(f -> up.close());
    up.config().setAutoRead(client.isWritable());
    client.config().setAutoRead(up.isWritable());
  }

  /** Both halves are done (or the response ended first): recycle and go on. */
  private void finish() {
    detach(requestDone && upstreamReusable);
    ChannelHandlerContext ctx = ctx();
    if (!clientKeepAlive || !requestDone) {
      // Nothing more is read or held while the last answer drains to a client that may not read.
      closing = true;
      ctx.channel().config().setAutoRead(false);
      ReferenceCountUtil.release(in);
      in = null;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    timeouts.awaitNextHead();
    exchangeOpen = false;
    resume();
  }

  private void detach(boolean reuse) {
    releaseReplay();
    Channel up = upstream;
    Http1Upstream handler = upstreamHandler;
    upstream = null;
    upstreamHandler = null;
    readWhenWritable = false;
    upstreamUnflushed = false;
    if (up == null || handler == null) return;
    handler.exchange = null;
    if (reuse && up.isActive()) handler.release(up);
    else up.close();
  }

  private void releaseReplay() {
    ReferenceCountUtil.release(replay);
    replay = null;
  }

  /** A head that cannot be served: answered with {@code status}, then closed. */
  private void refuse(int status, String why) {
    log.debug("refused a request from {}: {}", ctx().channel().remoteAddress(), why);
    ReferenceCountUtil.release(in);
    in = null;
    clientKeepAlive = false;
    fail(status, why);
  }

  /** Answers with a short text error; closes unless the connection may go on. */
  private void fail(int status, String text) {
    ChannelHandlerContext ctx = ctx();
    if (responseStarted) {
      ctx.close();
      return;
    }
    String body = status + " " + text + "\n";
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length()
            + (clientKeepAlive ? "" : "\r\nConnection: close")
            + "\r\n\r\n";
    responseStarted = responseDone = true;
    String answer = headRequest ? head : head + body; // an answer to HEAD has no body
    ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), answer), ctx.voidPromise());
    finish();
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "Error";
    };
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (upstream != null) upstream.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) ctx.close();
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    detach(false);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    ReferenceCountUtil.release(in);
    in = null;
    releaseReplay();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private ChannelHandlerContext ctx() {
    var c = ctx;
    if (c == null) throw new IllegalStateException("Http1Frontend used before handlerAdded");
    return c;
  }

  private Channel upstream() {
    var u = upstream;
    if (u == null) throw new IllegalStateException("no upstream in this exchange");
    return u;
  }
}
