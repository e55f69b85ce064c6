package dev.hearth.startd.net.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Last handler of an upstream HTTP/1.1 connection: hands responses to the exchange that holds the
 * connection, and while the connection is pooled, closes it on any unexpected byte.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private final UpstreamPool pool;
  private final InetSocketAddress address;

  /** The exchange using this connection; null while pooled. Event loop only. */
  @Nullable Http2StreamFrontend exchange;

  UpstreamHandler(UpstreamPool pool, InetSocketAddress address) {
    this.pool = pool;
    this.address = address;
  }

  /** Back to the pool (or closed when the pool is full). */
  void release(Channel c) {
    c.config().setAutoRead(true); // notice a close while pooled
    if (!pool.offer(address, c)) c.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Http2StreamFrontend e = exchange;
    if (e != null && msg instanceof HttpObject o) {
      e.upstreamRead(o);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Http2StreamFrontend e = exchange;
    if (e != null) e.upstreamReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Http2StreamFrontend e = exchange;
    if (e != null) e.upstreamWritable();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.remove(address, ctx.channel());
    Http2StreamFrontend e = exchange;
    exchange = null;
    if (e != null) e.upstreamClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
