package dev.hearth.startd.net.proxy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's TLS reverse proxy and TCP forwarder (see {@code package-info.java}). Starts its
 * event loops (io_uring when the kernel allows it, else native epoll, else NIO; one thread per
 * available processor) in the constructor. Every method may be called from any thread except an
 * event loop of this proxy; {@link #listen} blocks while it binds.
 */
public final class Proxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Proxy.class);

  private final ProxyContext context;
  // Guarded by `this`: bind address → its server channel and what it serves now.
  private final Map<InetSocketAddress, Bound> bound = new HashMap<>();

  private record Bound(Channel server, AtomicReference<Listener> listener) {}

  public Proxy(
      ProxyLimits limits,
      Router router,
      CertificateSource certificates,
      UpstreamSockets upstreams) {
    this(limits, router, certificates, upstreams, UpstreamSockets.Transport.best());
  }

  /**
   * A proxy on the given transport, which must be available ({@link
   * UpstreamSockets.Transport#available}).
   */
  public Proxy(
      ProxyLimits limits,
      Router router,
      CertificateSource certificates,
      UpstreamSockets upstreams,
      UpstreamSockets.Transport transport) {
    if (!transport.available())
      throw new IllegalArgumentException(transport + " is not available here");
    this.context = new ProxyContext(limits, router, certificates, upstreams, transport);
    log.info("proxy transport: {}", context.transport().kind());
  }

  /** The transport its event loops run. */
  public UpstreamSockets.Transport transport() {
    return context.transport().kind();
  }

  /**
   * Makes the set of listeners exactly {@code listeners}: opens new ones, closes ones no longer
   * named (their open connections keep going until they end). A listener that changes kind at the
   * same address keeps its socket; new connections get the new kind.
   *
   * @throws StartException {@link ErrorKind#NETWORK} naming the address that could not be bound;
   *     then nothing changed
   */
  public synchronized void listen(Set<Listener> listeners) {
    Map<InetSocketAddress, Listener> wanted = new HashMap<>();
    for (Listener l : listeners)
      if (wanted.put(l.bind(), l) != null)
        throw new IllegalArgumentException("two listeners on " + l.bind() + ": " + listeners);
    Map<InetSocketAddress, Bound> opened = new HashMap<>();
    for (var e : wanted.entrySet()) {
      if (bound.containsKey(e.getKey())) continue;
      var ref = new AtomicReference<>(e.getValue());
      try {
        opened.put(e.getKey(), new Bound(bind(e.getKey(), ref), ref));
      } catch (RuntimeException failure) {
        opened.values().forEach(b -> b.server().close().syncUninterruptibly());
        throw new StartException(
            ErrorKind.NETWORK, "proxy cannot listen on " + e.getKey() + ": " + failure, failure);
      }
    }
    for (var it = bound.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Listener now = wanted.get(e.getKey());
      if (now == null) {
        e.getValue().server().close().syncUninterruptibly();
        it.remove();
        log.info("proxy stopped listening on {}", e.getKey());
      } else {
        e.getValue().listener().set(now);
      }
    }
    bound.putAll(opened);
    opened.forEach((a, b) -> log.info("proxy listening on {}: {}", a, b.listener().get()));
  }

  private Channel bind(InetSocketAddress address, AtomicReference<Listener> listener) {
    var transport = context.transport();
    return new ServerBootstrap()
        .group(transport.group())
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, context.allocator())
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
        .childHandler(new FrontendInitializer(context, listener))
        .bind(address)
        .syncUninterruptibly()
        .channel();
  }

  /**
   * Forgets cached certificates: new connections get fresh ones from the {@link CertificateSource};
   * open connections are not dropped.
   */
  public void refreshCertificates() {
    context.tlsContexts().clear();
  }

  /** A snapshot of the load; walks the open connections, so not for a hot path. */
  public ProxyStats stats() {
    return context.stats();
  }

  /** Closes the listeners and every open connection, then stops the event loops (≤ 5 s). */
  @Override
  public synchronized void close() {
    // Waited for: on io_uring a listener's close ends when the kernel has cancelled its pending
    // accept, a completion the event loop must still be running to handle.
    bound.values().forEach(b -> b.server().close().awaitUninterruptibly(5, TimeUnit.SECONDS));
    bound.clear();
    context.close(5, TimeUnit.SECONDS);
  }
}
