package dev.hearth.startd.net.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the start of every accepted connection's pipeline: the connection limits (over a limit:
 * closed at once, nothing read), the timeouts, then the stage for the listener's kind as it is at
 * accept time.
 */
final class FrontendInitializer extends ChannelInitializer<Channel> {
  private static final Logger log = LoggerFactory.getLogger(FrontendInitializer.class);

  private final ProxyContext context;
  private final AtomicReference<Listener> listener;

  FrontendInitializer(ProxyContext context, AtomicReference<Listener> listener) {
    this.context = context;
    this.listener = listener;
  }

  @Override
  protected void initChannel(Channel ch) {
    var remote = (InetSocketAddress) ch.remoteAddress();
    var gate = context.gate();
    if (!gate.admit(remote.getAddress())) {
      log.debug("connection from {} over the limit: closed", remote);
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> gate.release(remote.getAddress()));
    context.trackClient(ch);
    var limits = context.limits;
    var timeouts = new Timeouts(limits.headerTimeout(), limits.idleTimeout());
    ChannelPipeline p = ch.pipeline();
    p.addLast("timeouts", timeouts);
    switch (listener.get()) {
      case Listener.Tls l -> p.addLast("hello", new ClientHelloRouter(context, timeouts));
      case Listener.RedirectToHttps r -> {
        var small = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192);
        p.addLast(Stages.HTTP, new HttpServerCodec(small));
        p.addLast("redirect", new RedirectHandler(r.httpsPort(), timeouts));
      }
      case Listener.Plain l -> {
        Route route =
            route(new Connection((InetSocketAddress) ch.localAddress(), remote, null, false));
        switch (route) {
          case null -> ch.close();
          case Route.Http h -> Stages.http1(p, context, h, false, timeouts);
          case Route.Tcp t -> relay(ch, timeouts, t.upstream());
          case Route.Passthrough t -> relay(ch, timeouts, t.upstream());
        }
      }
    }
  }

  private void relay(Channel ch, Timeouts timeouts, InetSocketAddress upstream) {
    timeouts.headReceived();
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ch.pipeline().addLast("relay-start", new RelayStart(context, upstream, true));
  }

  private @Nullable Route route(Connection c) {
    try {
      return context.router.route(c);
    } catch (RuntimeException e) {
      log.warn("router failed for {}: {}", c.remote(), e.toString());
      return null;
    }
  }
}
