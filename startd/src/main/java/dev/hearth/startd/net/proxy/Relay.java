package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * One direction of a byte relay: what this channel reads is written to {@code peer}. A pair of
 * these (one on each channel, both on one event loop) forwards TCP, TLS passthrough and upgraded
 * WebSocket connections. Back-pressure: this side stops reading while the peer is not writable, and
 * resumes it when the peer drains. Half-close (when the channel allows it): the end of this input
 * shuts the peer's output once its queued bytes are written; both ends shut closes both.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Relay.class);

  private final Channel peer;

  Relay(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) { // the empty end of an upgraded HTTP message
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!peer.isActive()) {
      buf.release();
      return;
    }
    peer.write(buf, peer.voidPromise());
    if (!peer.isWritable()) ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // A channel whose input has ended must not read again (epoll_ctl fails on it).
    boolean ended = peer instanceof DuplexChannel d && d.isInputShutdown();
    if (ctx.channel().isWritable() && !ended) peer.config().setAutoRead(true);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && peer instanceof DuplexChannel duplex) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(f ->
              duplex
                  .shutdownOutput()
                  .addListener(s -> {
                    if (duplex.isInputShutdown()) {
                      peer.close();
                      ctx.close();
                    }
                  }));
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive())
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("relay {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
