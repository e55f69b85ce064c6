package dev.hearth.startd.net.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.regex.Pattern;

/**
 * A {@link Listener.RedirectToHttps}: one request per connection, answered with a redirect to the
 * same host and path over HTTPS, then closed. The Host is checked against a strict pattern so a
 * client cannot make us redirect to a URL of its choosing beyond its own Host header.
 */
final class RedirectHandler extends SimpleChannelInboundHandler<HttpObject> {
  private static final Pattern HOST =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

  private final int httpsPort;
  private final Timeouts timeouts;

  RedirectHandler(int httpsPort, Timeouts timeouts) {
    this.httpsPort = httpsPort;
    this.timeouts = timeouts;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (!(msg instanceof HttpRequest req)) return;
    timeouts.headReceived();
    String host = req.headers().get(HttpHeaderNames.HOST);
    var m = host == null ? null : HOST.matcher(host);
    DefaultFullHttpResponse res;
    if (req.decoderResult().isFailure() || m == null || !m.matches()) {
      res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
    } else {
      boolean safe = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
      String uri = req.uri().startsWith("/") ? req.uri() : "/";
      String location = "https://" + m.group(1) + (httpsPort == 443 ? "" : ":" + httpsPort) + uri;
      res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              safe ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT,
              Unpooled.EMPTY_BUFFER);
      res.headers().set(HttpHeaderNames.LOCATION, location);
    }
    res.headers()
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
