package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's hot path: one client HTTP/1.1 connection, or one HTTP/2 stream, proxied to an
 * upstream over HTTP/1.1.
 *
 * <h2>Design</h2>
 *
 * <p><b>Threading.</b> Everything here runs on the client channel's event loop. Upstream
 * connections are opened on the same loop and pooled per loop ({@link UpstreamPool}), so a client
 * and its upstream never need a lock, and no handoff happens per request.
 *
 * <p><b>One exchange at a time.</b> The client channel sits behind a {@code FlowControlHandler},
 * which holds what one read decoded whenever auto-read is off. An HTTP/1.1 connection normally
 * keeps auto-read on: turning it off and on per request costs two {@code epoll_ctl} calls per
 * request, and a client that waits for each answer sends nothing meanwhile anyway. Reading pauses
 * (auto-read off; then this handler asks for each message with {@code ctx.read()}) only when a
 * message must wait: while an upstream connection is opened, while the upstream is not writable
 * (upload back-pressure), during a WebSocket upgrade, and when a pipelining client's next head
 * arrives before the current response is complete; that head is held here (the rest of its read
 * waits in the FlowControlHandler), served when the response ends, so a pipelining client is served
 * in order and at most one read is held. HTTP/2 streams always ask per message. When both halves
 * are complete the upstream goes back to the pool (if both sides kept it alive) and reading
 * resumes.
 *
 * <p><b>Back-pressure.</b> Uploads: read the next client chunk only when the upstream is writable,
 * else on its writability change. Downloads: the upstream's auto-read follows the client's
 * writability, so a slow client leaves at most the water mark (64 KiB) plus one read queued.
 *
 * <p><b>Invariants.</b> {@code upstream != null} exactly while an exchange holds an upstream
 * connection; its {@link UpstreamHandler} then points back here. Every message not passed on is
 * released. A response that has started cannot become an error page: on failure the client is
 * closed instead, and a request is sent again at most once: when it is idempotent and bodiless and
 * the pooled connection it went on closes before any answer (the upstream had dropped it as idle),
 * it goes on a new connection. WebSocket: after a 101 for an upgrade request both channels become a
 * {@link Relay} pair and this handler leaves the pipeline.
 *
 * <p>References: Netty's {@code HexDumpProxyFrontendHandler} (same-loop upstream, auto-read
 * back-pressure); RFC 9112 (message framing), RFC 9110 §7.6.1 (hop-by-hop headers).
 */
final class HttpFrontend extends ChannelInboundHandlerAdapter {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpFrontend.class);

  private final ProxyContext context;
  private final Route.Http route;
  private final boolean tls;
  private final boolean h2; // an HTTP/2 stream: one exchange, then the stream ends
  private final @Nullable Timeouts timeouts; // null on HTTP/2 streams (the connection has them)
  private @Nullable ChannelHandlerContext ctx;

  // The current exchange; event loop only.
  private @Nullable Channel upstream;
  private @Nullable UpstreamHandler upstreamHandler;
  private boolean requestDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean informational; // inside a 1xx response
  private boolean clientKeepAlive;
  private boolean upstreamKeepAlive;
  private boolean http10;
  private boolean head; // HEAD request
  private boolean upgrade; // WebSocket upgrade requested
  private boolean readWhenWritable; // a body chunk is wanted once the upstream drains
  private boolean wantRead; // asked for a message, none came yet
  private boolean exchangeOpen; // from a head to the end of its exchange
  private boolean unflushed; // response bytes written to the client and not flushed yet
  private @Nullable HttpRequest heldHead; // a pipelined head that came during an exchange
  private @Nullable HttpRequest replay; // sent on a reused connection, no answer yet: may go again
  private ProxyHeaders.@Nullable Forwarding forwarding; // this connection's, made at its first head

  HttpFrontend(ProxyContext context, Route.Http route, boolean tls, @Nullable Timeouts timeouts) {
    this.context = context;
    this.route = route;
    this.tls = tls;
    this.h2 = timeouts == null;
    this.timeouts = timeouts;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (h2) {
      ctx.channel().config().setAutoRead(false);
      if (ctx.channel().isActive()) requestRead();
    } else {
      resume();
    }
  }

  /** HTTP/1.1: reading on (auto-read), the FlowControlHandler's held messages first. */
  private void resume() {
    wantRead = false;
    var config = ctx().channel().config();
    if (!config.isAutoRead()) config.setAutoRead(true);
  }

  /** Messages must wait: from now on each is asked for ({@link #requestRead}). */
  private void pause() {
    ctx().channel().config().setAutoRead(false);
  }

  /** Reading goes on within an exchange: by auto-read, unless this stream or exchange asks. */
  private void readOn() {
    if (h2 || upgrade || heldHead != null) requestRead();
    else resume();
  }

  /**
   * Asks for the next message. A read completion without a message still answers a read request
   * (FlowControlHandler's rule), so the request is renewed in channelReadComplete while wanted.
   */
  private void requestRead() {
    wantRead = true;
    ctx().read();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantRead) ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    wantRead = false;
    if (msg instanceof HttpRequest req) {
      if (exchangeOpen) { // pipelined: it waits for the current response (auto-read was on)
        pause();
        if (heldHead != null) { // cannot happen: reading paused at the first held head
          ReferenceCountUtil.release(req);
          ctx.close();
          return;
        }
        heldHead = req;
        return;
      }
      onHead(ctx, req);
    } else if (msg instanceof HttpContent c) {
      onBody(ctx, c);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
    exchangeOpen = true;
    if (req.decoderResult().isFailure()) {
      Throwable cause = req.decoderResult().cause();
      ReferenceCountUtil.release(req);
      HttpResponseStatus status =
          cause instanceof TooLongHttpHeaderException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : cause instanceof TooLongFrameException
                      ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                      : HttpResponseStatus.BAD_REQUEST;
      clientKeepAlive = false;
      responseStarted = false;
      fail(status, "bad request head");
      return;
    }
    if (timeouts != null) timeouts.headReceived();
    http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    clientKeepAlive = !h2 && HttpUtil.isKeepAlive(req);
    head = req.method().equals(HttpMethod.HEAD);
    upgrade = !h2 && ProxyHeaders.isWebSocketUpgrade(req);
    if (upgrade && !h2) pause(); // nothing is read past the upgrade request until its answer
    Channel ch = ctx.channel();
    ProxyHeaders.prepareRequest(req, upgrade, forwarding(ch), h2);
    requestDone = req instanceof LastHttpContent;
    responseStarted = responseDone = informational = false;
    boolean flush =
        requestDone
            || HttpUtil.getContentLength(req, 0L) > 0
            || HttpUtil.isTransferEncodingChunked(req);
    UpstreamPool pool = context.pool(ch.eventLoop());
    Channel idle = pool.poll(route.upstream());
    if (idle != null) {
      attach(idle, idle.pipeline().get(UpstreamHandler.class));
      replay = replayable(req) ? req : null;
      send(req, flush);
      return;
    }
    open(ch, pool, req, false);
  }

  /** The X-Forwarded-* values, or null when the route does not want them. */
  private ProxyHeaders.@Nullable Forwarding forwarding(Channel ch) {
    if (!route.forwardedHeaders()) return null;
    if (forwarding == null) {
      Channel parent = h2 ? ch.parent() : ch; // an HTTP/2 stream's parent is the connection
      forwarding =
          ProxyHeaders.Forwarding.of(
              (java.net.InetSocketAddress) parent.remoteAddress(),
              (java.net.InetSocketAddress) parent.localAddress(),
              tls);
    }
    return forwarding;
  }

  /**
   * A request may go again on a new connection when a pooled one closes before any answer (the
   * upstream dropped an idle keep-alive connection as it was reused): idempotent (RFC 9110 §9.2.2)
   * and without a body, so nothing of it is lost.
   */
  private static boolean replayable(HttpRequest req) {
    HttpMethod m = req.method();
    boolean idempotent =
        m.equals(HttpMethod.GET)
            || m.equals(HttpMethod.HEAD)
            || m.equals(HttpMethod.OPTIONS)
            || m.equals(HttpMethod.TRACE)
            || m.equals(HttpMethod.PUT)
            || m.equals(HttpMethod.DELETE);
    return idempotent
        && HttpUtil.getContentLength(req, 0L) == 0
        && !HttpUtil.isTransferEncodingChunked(req);
  }

  /** Opens a new upstream connection for {@code req}; {@code again}: its head was sent before. */
  private void open(Channel ch, UpstreamPool pool, HttpRequest req, boolean again) {
    if (!h2) pause(); // the body waits while the upstream connects
    var handler = new UpstreamHandler(pool, route.upstream());
    ChannelFuture f =
        pool.connect(
            ch.eventLoop(), route.upstream(), new UpstreamInitializer(context, handler), false);
    f.addListener(done -> {
      if (!ch.isActive()) {
        ReferenceCountUtil.release(req);
        f.channel().close();
      } else if (!done.isSuccess()) {
        ReferenceCountUtil.release(req);
        if (!requestDone) clientKeepAlive = false; // its body was never read
        boolean timeout = done.cause() instanceof ConnectTimeoutException;
        fail(
            timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
            timeout ? "upstream connect timed out" : "upstream unreachable");
      } else {
        attach(f.channel(), handler);
        if (again && requestDone) {
          Channel up = upstream();
          up.write(req, up.voidPromise());
          up.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, up.voidPromise());
        } else {
          send(req, true);
        }
      }
    });
  }

  private void attach(Channel up, UpstreamHandler handler) {
    upstream = up;
    upstreamHandler = handler;
    handler.exchange = this;
    up.config().setAutoRead(ctx().channel().isWritable());
  }

  private void send(HttpRequest req, boolean flush) {
    Channel up = upstream();
    if (flush) up.writeAndFlush(req, up.voidPromise());
    else up.write(req, up.voidPromise());
    if (!requestDone) readBody();
  }

  private void onBody(ChannelHandlerContext ctx, HttpContent c) {
    Channel up = upstream;
    if (up == null || requestDone) { // the exchange already failed or ended early
      c.release();
      if (c instanceof LastHttpContent && !requestDone) ctx.close();
      return;
    }
    boolean last = c instanceof LastHttpContent;
    up.writeAndFlush(c, up.voidPromise());
    if (last) {
      requestDone = true;
      if (responseDone) finish();
    } else {
      readBody();
    }
  }

  private void readBody() {
    if (upstream().isWritable()) {
      readOn();
    } else {
      readWhenWritable = true;
      if (!h2) pause();
    }
  }

  // ---- upstream events (UpstreamHandler calls these on the same event loop) ----

  void upstreamRead(HttpObject msg) {
    replay = null; // the upstream answered: the request is not sent again
    ChannelHandlerContext ctx = ctx();
    if (msg instanceof HttpResponse res) {
      int code = res.status().code();
      if (code == 101 && upgrade && !h2) {
        WebSocketSwitch.relay(ctx, res, upstream(), this);
        upstream = null;
        return;
      }
      informational = code >= 100 && code < 200;
      if (!informational) {
        responseStarted = true;
        upstreamKeepAlive = HttpUtil.isKeepAlive(res);
        boolean bodyless = head || code == 204 || code == 304;
        clientKeepAlive = ProxyHeaders.prepareResponse(res, clientKeepAlive, http10, bodyless, h2);
      } else if (h2 || http10) {
        ReferenceCountUtil.release(msg); // HTTP/1.0 has no 1xx; on HTTP/2 the codec sends none
        return;
      }
    }
    if (msg instanceof LastHttpContent) {
      if (informational) {
        informational = false;
        if (h2 || http10) {
          ReferenceCountUtil.release(msg);
          return;
        }
        ctx.write(msg, ctx.voidPromise());
        unflushed = true;
        return;
      }
      responseDone = true;
      unflushed = false;
      ctx.writeAndFlush(msg, ctx.voidPromise());
      if (!requestDone) clientKeepAlive = false; // answered early: the rest of the body is not read
      finish();
      return;
    }
    ctx.write(msg, ctx.voidPromise());
    unflushed = true;
    // The writability event comes later (Netty defers it to a task), and the upstream's read loop
    // would go on for up to 16 reads (1 MiB) meanwhile: stop it as soon as the client is full.
    Channel up = upstream;
    if (up != null && !ctx.channel().isWritable()) up.config().setAutoRead(false);
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
      readOn();
    }
  }

  void upstreamClosed() {
    HttpRequest again = replay;
    replay = null;
    detach(false);
    if (again != null && !responseStarted) {
      log.debug("pooled upstream {} closed on reuse: {} sent again", route.upstream(), again.uri());
      Channel ch = ctx().channel();
      // A fresh head object: a FullHttpRequest's content was released when it was written.
      var head =
          new io.netty.handler.codec.http.DefaultHttpRequest(
              again.protocolVersion(), again.method(), again.uri(), again.headers());
      open(ch, context.pool(ch.eventLoop()), head, true);
      return;
    }
    if (!responseStarted) {
      clientKeepAlive = false;
      fail(HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection");
    } else if (!responseDone) {
      ctx().close(); // a truncated answer must look truncated
    }
  }

  /** Both halves are done (or the response ended first): recycle and go on. */
  private void finish() {
    detach(requestDone && upstreamKeepAlive);
    ChannelHandlerContext ctx = ctx();
    if (h2) return;
    if (!clientKeepAlive || !requestDone) {
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (timeouts != null) timeouts.awaitNextHead();
    exchangeOpen = false;
    HttpRequest next = heldHead;
    if (next != null) {
      heldHead = null;
      onHead(ctx, next);
    } else {
      resume();
    }
  }

  private void detach(boolean reuse) {
    replay = null;
    Channel up = upstream;
    UpstreamHandler handler = upstreamHandler;
    upstream = null;
    upstreamHandler = null;
    readWhenWritable = false;
    if (up == null || handler == null) return;
    handler.exchange = null;
    if (reuse && up.isActive()) handler.release(up);
    else up.close();
  }

  /** Answers with a short text error; closes unless the connection may go on. */
  private void fail(HttpResponseStatus status, String text) {
    ChannelHandlerContext ctx = ctx();
    if (responseStarted) {
      ctx.close();
      return;
    }
    var body = ByteBufUtil.writeUtf8(ctx.alloc(), status.code() + " " + text + "\n");
    var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    responseStarted = responseDone = true;
    if (!h2 && !clientKeepAlive)
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res, ctx.voidPromise());
    finish();
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
    ReferenceCountUtil.release(heldHead);
    heldHead = null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private ChannelHandlerContext ctx() {
    var c = ctx;
    if (c == null) throw new IllegalStateException("HttpFrontend used before handlerAdded");
    return c;
  }

  private Channel upstream() {
    var u = upstream;
    if (u == null) throw new IllegalStateException("no upstream in this exchange");
    return u;
  }
}
