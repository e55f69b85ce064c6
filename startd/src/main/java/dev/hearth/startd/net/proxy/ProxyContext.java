package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Everything one {@link Proxy} shares between its pipelines: the settings, the event loops, the
 * certificate cache, the per-loop upstream pools and the connection counts. Built once; its fields
 * never change (the objects they point to say how they may be used).
 */
final class ProxyContext {
  /**
   * A channel stops being writable past 64 KiB queued, and the other side of its pair stops reading
   * until it drains to 32 KiB: the most the proxy buffers per direction of a connection is this
   * plus one read (≤ 64 KiB).
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  /** Idle keep-alive connections kept per upstream address and event loop. */
  static final int POOL_SIZE_PER_LOOP = 64;

  final ProxyLimits limits;
  final Router router;
  final UpstreamSockets upstreams;
  private final Transport transport;
  private final ByteBufAllocator allocator;
  private final TlsContexts tlsContexts;
  private final ConnectionGate gate;
  // One pool per event loop, each used only on its loop: no locking (STYLE §8).
  private final Map<EventExecutor, UpstreamPool> pools = new IdentityHashMap<>();
  // The same for the HTTP/1.1 path's connections, whose pipelines read bytes, not HTTP objects.
  private final Map<EventExecutor, UpstreamPool> http1Pools = new IdentityHashMap<>();
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ChannelGroup upstreamChannels =
      new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

  record Transport(
      EventLoopGroup group,
      Class<? extends ServerChannel> serverChannel,
      UpstreamSockets.Transport kind) {}

  ProxyContext(
      ProxyLimits limits,
      Router router,
      CertificateSource certificates,
      UpstreamSockets upstreams,
      UpstreamSockets.Transport kind) {
    this.limits = limits;
    this.router = router;
    this.upstreams = upstreams;
    this.transport = transport(kind, Runtime.getRuntime().availableProcessors());
    // Our own pooled allocator, so stats() can report what the proxy holds, apart from the rest
    // of the JVM; direct buffers keep the bulk of the data off the small heap.
    this.allocator = new PooledByteBufAllocator(true);
    this.tlsContexts = new TlsContexts(certificates, blocking);
    this.gate = new ConnectionGate(limits.maxConnectionsPerClient(), limits.maxConnections());
    for (EventExecutor loop : transport.group()) {
      pools.put(loop, new UpstreamPool(this));
      http1Pools.put(loop, new UpstreamPool(this));
    }
  }

  private static Transport transport(UpstreamSockets.Transport kind, int threads) {
    return switch (kind) {
      case IO_URING ->
          new Transport(
              new MultiThreadIoEventLoopGroup(threads, IoUringIoHandler.newFactory()),
              IoUringServerSocketChannel.class,
              kind);
      case EPOLL ->
          new Transport(
              new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()),
              EpollServerSocketChannel.class,
              kind);
      case NIO ->
          new Transport(
              new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()),
              NioServerSocketChannel.class,
              kind);
    };
  }

  Transport transport() {
    return transport;
  }

  ByteBufAllocator allocator() {
    return allocator;
  }

  TlsContexts tlsContexts() {
    return tlsContexts;
  }

  ConnectionGate gate() {
    return gate;
  }

  /** The calling event loop's pool. */
  UpstreamPool pool(EventLoop loop) {
    return pools.get(loop);
  }

  /** The calling event loop's pool of connections for {@link Http1Frontend}. */
  UpstreamPool http1Pool(EventLoop loop) {
    return http1Pools.get(loop);
  }

  void trackClient(Channel c) {
    clients.add(c);
  }

  void trackUpstream(Channel c) {
    upstreamChannels.add(c);
  }

  ProxyStats stats() {
    return new ProxyStats(
        clients.size(),
        upstreamChannels.size(),
        pending(clients) + pending(upstreamChannels),
        ((PooledByteBufAllocator) allocator).metric().usedDirectMemory());
  }

  private static long pending(ChannelGroup group) {
    long sum = 0;
    for (Channel c : group) {
      ChannelOutboundBuffer out = c.unsafe().outboundBuffer();
      if (out != null) sum += out.totalPendingWriteBytes();
    }
    return sum;
  }

  void close(long timeout, TimeUnit unit) {
    clients.close().awaitUninterruptibly(timeout, unit);
    upstreamChannels.close().awaitUninterruptibly(timeout, unit);
    transport.group().shutdownGracefully(0, timeout, unit).awaitUninterruptibly(timeout, unit);
    blocking.shutdownNow();
  }
}
