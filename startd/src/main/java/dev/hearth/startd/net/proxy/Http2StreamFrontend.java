package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
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
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/2 stream proxied to an upstream as one HTTP/1.1 exchange. Netty's codecs turn the
 * stream's frames into HTTP objects ({@code Http2StreamFrameToHttpObjectCodec}) and the upstream's
 * bytes into HTTP objects ({@code HttpClientCodec}); HTTP/1.1 clients take the byte path instead
 * ({@link Http1Frontend}).
 *
 * <p><b>Threading.</b> A stream channel runs on its connection's event loop; the upstream is opened
 * on the same loop and pooled per loop ({@link UpstreamPool}), so nothing is locked.
 *
 * <p><b>Flow.</b> Auto-read is off: the stream asks for each message ({@code ctx.read()}), and asks
 * for the next body part only when the upstream is writable (upload back-pressure). The upstream's
 * auto-read follows the stream's writability (download back-pressure, with HTTP/2's flow control
 * behind it). When both halves are complete the upstream goes back to the pool if it kept the
 * connection alive.
 *
 * <p><b>Invariants.</b> {@code upstream != null} exactly while the exchange holds an upstream
 * connection; its {@link UpstreamHandler} then points back here. Every message not passed on is
 * released. A response that has started cannot become an error page: on failure the stream is
 * closed instead. A request is sent again at most once: when it is idempotent and bodiless and the
 * pooled connection it went on closes before any answer.
 */
final class Http2StreamFrontend extends ChannelInboundHandlerAdapter {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(Http2StreamFrontend.class);

  private final ProxyContext context;
  private final Route.Http route;
  private @Nullable ChannelHandlerContext ctx;

  // The exchange; event loop only.
  private @Nullable Channel upstream;
  private @Nullable UpstreamHandler upstreamHandler;
  private boolean requestDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean informational; // inside a 1xx response
  private boolean upstreamKeepAlive;
  private boolean head; // HEAD request
  private boolean readWhenWritable; // a body chunk is wanted once the upstream drains
  private boolean wantRead; // asked for a message, none came yet
  private boolean unflushed; // response parts written to the stream and not flushed yet
  private @Nullable HttpRequest replay; // sent on a reused connection, no answer yet: may go again

  Http2StreamFrontend(ProxyContext context, Route.Http route) {
    this.context = context;
    this.route = route;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().config().setAutoRead(false);
    if (ctx.channel().isActive()) requestRead();
  }

  /**
   * Asks for the next message. A read completion without a message still answers a read request, so
   * the request is renewed in channelReadComplete while wanted.
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
    if (msg instanceof HttpRequest req) onHead(ctx, req);
    else if (msg instanceof HttpContent c) onBody(ctx, c);
    else ReferenceCountUtil.release(msg);
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
    if (req.decoderResult().isFailure()) {
      ReferenceCountUtil.release(req);
      fail(HttpResponseStatus.BAD_REQUEST, "bad request head");
      return;
    }
    head = req.method().equals(HttpMethod.HEAD);
    Channel ch = ctx.channel();
    ProxyHeaders.prepareRequest(req, forwarding(ch));
    requestDone = req instanceof LastHttpContent;
    UpstreamPool pool = context.pool(ch.eventLoop());
    Channel idle = pool.poll(route.upstream());
    if (idle != null) {
      attach(idle, idle.pipeline().get(UpstreamHandler.class));
      replay = replayable(req) ? req : null;
      send(req);
      return;
    }
    open(ch, pool, req, false);
  }

  /** The X-Forwarded-* values, or null when the route does not want them. */
  private ProxyHeaders.@Nullable Forwarding forwarding(Channel stream) {
    if (!route.forwardedHeaders()) return null;
    Channel connection = stream.parent();
    return ProxyHeaders.Forwarding.of(
        (InetSocketAddress) connection.remoteAddress(),
        (InetSocketAddress) connection.localAddress(),
        true);
  }

  /** Idempotent (RFC 9110 §9.2.2) and without a body, so nothing of it is lost. */
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
          send(req);
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

  private void send(HttpRequest req) {
    Channel up = upstream();
    up.writeAndFlush(req, up.voidPromise());
    if (!requestDone) readBody();
  }

  private void onBody(ChannelHandlerContext ctx, HttpContent c) {
    Channel up = upstream;
    if (up == null || requestDone) { // the exchange already failed or ended early
      c.release();
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
    replay = null; // the upstream answered: the request is not sent again
    ChannelHandlerContext ctx = ctx();
    if (msg instanceof HttpResponse res) {
      int code = res.status().code();
      informational = code >= 100 && code < 200;
      if (informational) { // the HTTP/2 codec sends no 1xx
        ReferenceCountUtil.release(msg);
        return;
      }
      responseStarted = true;
      upstreamKeepAlive = HttpUtil.isKeepAlive(res);
      ProxyHeaders.prepareResponse(res);
    }
    if (msg instanceof LastHttpContent) {
      if (informational) {
        informational = false;
        ReferenceCountUtil.release(msg);
        return;
      }
      responseDone = true;
      unflushed = false;
      ctx.writeAndFlush(msg, ctx.voidPromise());
      finish();
      return;
    }
    if (informational) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.write(msg, ctx.voidPromise());
    unflushed = true;
    // The writability event comes later (Netty defers it to a task), and the upstream's read loop
    // would go on for up to 16 reads (1 MiB) meanwhile: stop it as soon as the stream is full.
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
      requestRead();
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
      var fresh =
          new DefaultHttpRequest(
              again.protocolVersion(), again.method(), again.uri(), again.headers());
      open(ch, context.pool(ch.eventLoop()), fresh, true);
      return;
    }
    if (!responseStarted) fail(HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection");
    else if (!responseDone) ctx().close(); // a truncated answer must look truncated
  }

  /** The response ended (the request may not have): the upstream is recycled if it can be. */
  private void finish() {
    detach(requestDone && upstreamKeepAlive);
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

  /** Answers with a short text error. */
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
    ctx.writeAndFlush(res, ctx.voidPromise());
    finish();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (upstream != null) upstream.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    detach(false);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("stream {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private ChannelHandlerContext ctx() {
    var c = ctx;
    if (c == null) throw new IllegalStateException("Http2StreamFrontend used before handlerAdded");
    return c;
  }

  private Channel upstream() {
    var u = upstream;
    if (u == null) throw new IllegalStateException("no upstream in this exchange");
    return u;
  }
}
