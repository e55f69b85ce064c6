package dev.hearth.startd.net.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's upstream connections: opens them (through {@link UpstreamSockets}) and keeps up
 * to {@link ProxyContext#POOL_SIZE_PER_LOOP} idle HTTP/1.1 keep-alive connections per upstream
 * address for reuse, most recently used first. Used only on its own event loop, so unlocked.
 */
final class UpstreamPool {
  private final ProxyContext context;
  private final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

  UpstreamPool(ProxyContext context) {
    this.context = context;
  }

  /** An open idle connection to {@code address}, now taken out of the pool; or null. */
  @Nullable Channel poll(InetSocketAddress address) {
    ArrayDeque<Channel> q = idle.get(address);
    if (q == null) return null;
    for (Channel c; (c = q.pollLast()) != null; ) if (c.isActive()) return c;
    return null;
  }

  /** Keeps {@code c} for reuse; false (the caller closes it) when the pool is full. */
  boolean offer(InetSocketAddress address, Channel c) {
    ArrayDeque<Channel> q = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
    if (q.size() >= ProxyContext.POOL_SIZE_PER_LOOP) return false;
    q.addLast(c);
    return true;
  }

  /** Forgets a pooled connection that closed. */
  void remove(InetSocketAddress address, Channel c) {
    ArrayDeque<Channel> q = idle.get(address);
    if (q != null && q.remove(c) && q.isEmpty()) idle.remove(address);
  }

  /** Opens a new connection on {@code loop} (the caller's), its pipeline built by {@code init}. */
  ChannelFuture connect(
      EventLoop loop, InetSocketAddress address, ChannelHandler init, boolean halfClose) {
    var kind = context.transport().kind();
    ChannelFuture f =
        new Bootstrap()
            .group(loop)
            .channelFactory(() -> context.upstreams.open(address, kind))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, context.allocator())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) context.limits.connectTimeout().toMillis())
            .option(ChannelOption.ALLOW_HALF_CLOSURE, halfClose)
            .handler(init)
            .connect(address);
    context.trackUpstream(f.channel());
    return f;
  }
}
