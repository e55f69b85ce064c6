package dev.hearth.startd.net.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;

/** The pipeline of an upstream HTTP/1.1 connection. */
final class UpstreamInitializer extends ChannelInitializer<Channel> {
  private final ProxyContext context;
  private final UpstreamHandler handler;

  UpstreamInitializer(ProxyContext context, UpstreamHandler handler) {
    this.context = context;
    this.handler = handler;
  }

  @Override
  protected void initChannel(Channel ch) {
    int max = context.limits.maxHeaderBytes();
    var decoder = new HttpDecoderConfig().setMaxInitialLineLength(max).setMaxHeaderSize(max * 4);
    ch.pipeline()
        .addLast("idle", new IdleTimeout(context.limits.idleTimeout()))
        .addLast("http", new HttpClientCodec(decoder, false, false))
        .addLast("upstream", handler);
  }
}
