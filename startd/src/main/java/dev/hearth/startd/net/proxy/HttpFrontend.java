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
 * <p><b>One exchange at a time.</b> The client channel runs with auto-read off behind a {@code
 * FlowControlHandler}: this handler asks for each message ({@code ctx.read()}) only when it can
 * take it. A request head makes it take (or open) an upstream connection; reading stops while it
 * connects, so at most the head is held. The request body is read one chunk at a time, each only
 * when the upstream is writable. After the last request chunk nothing more is read until the
 * response is complete, so a pipelining client is served in order without a queue. When both are
 * complete the upstream goes back to the pool (if both sides kept it alive) and the next head is
 * read.
 *
 * <p><b>Back-pressure.</b> Uploads: read the next client chunk only when the upstream is writable,
 * else on its writability change. Downloads: the upstream's auto-read follows the client's
 * writability, so a slow client leaves at most the water mark (64 KiB) plus one read queued.
 *
 * <p><b>Invariants.</b> {@code upstream != null} exactly while an exchange holds an upstream
 * connection; its {@link UpstreamHandler} then points back here. Every message not passed on is
 * released. A response that has started cannot become an error page: on failure the client is
 * closed instead. WebSocket: after a 101 for an upgrade request both channels become a {@link
 * Relay} pair and this handler leaves the pipeline.
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
    ctx.channel().config().setAutoRead(false);
    if (ctx.channel().isActive()) requestRead();
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
      onHead(ctx, req);
    } else if (msg instanceof HttpContent c) {
      onBody(ctx, c);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
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
    Channel ch = ctx.channel();
    Channel parent = h2 ? ch.parent() : ch; // an HTTP/2 stream's parent is the connection
    ProxyHeaders.prepareRequest(
        req,
        upgrade,
        route.forwardedHeaders(),
        (java.net.InetSocketAddress) parent.remoteAddress(),
        (java.net.InetSocketAddress) parent.localAddress(),
        tls,
        h2);
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
      send(req, flush);
      return;
    }
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
        send(req, true);
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
    if (upstream().isWritable()) requestRead();
    else readWhenWritable = true;
  }

  // ---- upstream events (UpstreamHandler calls these on the same event loop) ----

  void upstreamRead(HttpObject msg) {
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
        return;
      }
      responseDone = true;
      ctx.writeAndFlush(msg, ctx.voidPromise());
      if (!requestDone) clientKeepAlive = false; // answered early: the rest of the body is not read
      finish();
      return;
    }
    ctx.write(msg, ctx.voidPromise());
    // The writability event comes later (Netty defers it to a task), and the upstream's read loop
    // would go on for up to 16 reads (1 MiB) meanwhile: stop it as soon as the client is full.
    Channel up = upstream;
    if (up != null && !ctx.channel().isWritable()) up.config().setAutoRead(false);
  }

  void upstreamReadComplete() {
    ctx().flush();
  }

  void upstreamWritable() {
    if (readWhenWritable && upstream != null && upstream.isWritable()) {
      readWhenWritable = false;
      requestRead();
    }
  }

  void upstreamClosed() {
    detach(false);
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
    requestRead();
  }

  private void detach(boolean reuse) {
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
