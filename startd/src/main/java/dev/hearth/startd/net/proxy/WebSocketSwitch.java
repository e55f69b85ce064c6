package dev.hearth.startd.net.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Turns an HTTP/1.1 exchange that got {@code 101 Switching Protocols} for a WebSocket upgrade into
 * a {@link Relay} pair. The HTTP codecs leave both pipelines; bytes they had read past the head
 * flow into the relays, so nothing is lost or reordered.
 */
final class WebSocketSwitch {
  private WebSocketSwitch() {}

  static void relay(
      ChannelHandlerContext ctx,
      HttpResponse switching,
      Channel upstream,
      ChannelHandler frontend) {
    ProxyHeaders.removeHopByHop(switching.headers());
    switching
        .headers()
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    Channel client = ctx.channel();
    ctx.write(switching, ctx.voidPromise());
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());

    ChannelPipeline cp = client.pipeline();
    cp.addBefore(ctx.name(), "relay", new Relay(upstream));
    cp.remove(Stages.FLOW);
    cp.remove(Stages.HTTP);
    cp.remove(frontend);

    ChannelPipeline up = upstream.pipeline();
    up.replace(UpstreamHandler.class, "relay", new Relay(client));
    up.remove(Stages.HTTP);
    client.closeFuture().addListener(f -> upstream.close());
    upstream.config().setAutoRead(client.isWritable());
    client.config().setAutoRead(upstream.isWritable());
  }
}
