package dev.hearth.startd.net.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Client-side start of a relay: stops reading, connects to the upstream, writes what was read
 * before (the replayed ClientHello of a passthrough), then replaces itself with a {@link Relay}.
 * Reading stops when this handler is added, so what it holds is bounded: one read, or, when the
 * client's FIN arrives meanwhile (epoll reads on RDHUP even with auto-read off), one read loop (at
 * most 16 reads of up to 64 KiB) and the end of input.
 *
 * <p>A client that sent everything and shut its output before the upstream connected: its input has
 * ended, so reading must not resume (epoll_ctl fails with ENOENT on such a channel and the
 * connection closes); the end is passed on to the new {@link Relay} instead, which shuts the
 * upstream's output after the held bytes, and the upstream's answer still comes back.
 */
final class RelayStart extends ChannelInboundHandlerAdapter {
  private final ProxyContext context;
  private final InetSocketAddress upstream;
  private final boolean halfClose;
  private final List<Object> held = new ArrayList<>(2); // event loop only
  private boolean inputEnded; // the client's input ended while connecting; event loop only

  RelayStart(ProxyContext context, InetSocketAddress upstream, boolean halfClose) {
    this.context = context;
    this.upstream = upstream;
    this.halfClose = halfClose;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    Channel client = ctx.channel();
    client.config().setAutoRead(false);
    ChannelFuture connect =
        context
            .pool(client.eventLoop())
            .connect(
                client.eventLoop(),
                upstream,
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Relay(client));
                  }
                },
                halfClose);
    connect.addListener(f -> {
      if (!f.isSuccess() || !client.isActive()) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        client.close();
        connect.channel().close();
        return;
      }
      Channel up = connect.channel();
      client.closeFuture().addListener(c -> up.close());
      for (Object m : held) up.write(m, up.voidPromise());
      held.clear();
      up.flush();
      ctx.pipeline().replace(this, "relay", new Relay(up));
      if (inputEnded) client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      else client.config().setAutoRead(true);
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) inputEnded = true;
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    held.add(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    held.forEach(ReferenceCountUtil::release);
    held.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
