package dev.hearth.startd.net.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage of a TLS listener: reads the ClientHello (bounded by Netty's limit and the header
 * timeout), asks the {@link Router}, then replaces itself: with an {@link SslHandler} for the
 * route's certificate (waiting, without reading, while a certificate is fetched off the loop), or
 * with a {@link RelayStart} for a passthrough, which receives the ClientHello bytes this handler
 * had buffered (a removed decoder hands its buffer to the next handler), so they are replayed.
 */
final class ClientHelloRouter extends AbstractSniHandler<ClientHelloRouter.Decision> {
  private static final Logger log = LoggerFactory.getLogger(ClientHelloRouter.class);

  sealed interface Decision {
    record Refuse() implements Decision {}

    record Pass(Route.Passthrough route) implements Decision {}

    record Terminate(Route route, SslContext context) implements Decision {}
  }

  private final ProxyContext context;
  private final Timeouts timeouts;

  ClientHelloRouter(ProxyContext context, Timeouts timeouts) {
    super(context.limits.headerTimeout().toMillis());
    this.context = context;
    this.timeouts = timeouts;
  }

  @Override
  protected Future<Decision> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
    var ch = ctx.channel();
    Route route;
    try {
      route =
          context.router.route(
              new Connection(
                  (InetSocketAddress) ch.localAddress(),
                  (InetSocketAddress) ch.remoteAddress(),
                  hostname,
                  true));
    } catch (RuntimeException e) {
      log.warn("router failed for {} (sni {}): {}", ch.remoteAddress(), hostname, e.toString());
      route = null;
    }
    return switch (route) {
      case null -> ctx.executor().newSucceededFuture(new Decision.Refuse());
      case Route.Passthrough p -> ctx.executor().newSucceededFuture(new Decision.Pass(p));
      case Route.Http h -> terminate(ctx, h, new TlsContexts.Key(h.names(), true));
      case Route.Tcp t -> terminate(ctx, t, new TlsContexts.Key(t.names(), false));
    };
  }

  private Future<Decision> terminate(ChannelHandlerContext ctx, Route route, TlsContexts.Key key) {
    CompletableFuture<SslContext> f = context.tlsContexts().context(key, Instant.now());
    if (f.isDone() && !f.isCompletedExceptionally())
      return ctx.executor().newSucceededFuture(new Decision.Terminate(route, f.join()));
    Promise<Decision> p = ctx.executor().newPromise();
    f.whenComplete((c, e) -> {
      if (e != null) p.tryFailure(e);
      else p.trySuccess(new Decision.Terminate(route, c));
    });
    return p;
  }

  @Override
  protected void onLookupComplete(
      ChannelHandlerContext ctx, @Nullable String hostname, Future<Decision> future) {
    if (!future.isSuccess()) {
      log.warn("no certificate for sni {}: {}", hostname, future.cause().toString());
      ctx.close();
      return;
    }
    if (!ctx.channel().isActive()) return;
    switch (future.getNow()) {
      case Decision.Refuse r -> ctx.close();
      case Decision.Pass p -> {
        timeouts.headReceived();
        ctx.channel().config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, false);
        ctx.pipeline()
            .addAfter(
                ctx.name(), "relay-start", new RelayStart(context, p.route().upstream(), false));
        ctx.pipeline().remove(this);
      }
      case Decision.Terminate t -> {
        SslHandler tls = t.context().newHandler(ctx.alloc());
        tls.setHandshakeTimeoutMillis(context.limits.headerTimeout().toMillis());
        ctx.pipeline()
            .addAfter(
                ctx.name(), "after-tls", new Stages.AfterHandshake(context, t.route(), timeouts));
        ctx.pipeline().replace(this, "tls", tls);
      }
    }
  }
}
