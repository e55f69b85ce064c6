package dev.hearth.startd.net.proxy;

import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * Creates each upstream TCP socket. A socket belongs to the network namespace of the thread that
 * created it, and the daemon's containers may live in another namespace than the proxy's event
 * loops: this is the hook to create it there.
 *
 * <p>Netty's socket channels create their file descriptor in their constructor, so an
 * implementation for another namespace keeps one platform thread that has entered it with {@code
 * setns(2)} and, per call, runs {@code new EpollSocketChannel()} on that thread and returns the
 * channel (a hand-off of a few microseconds; upstream connections are pooled, so this is not per
 * request). The proxy registers the channel on its event loop and connects it. The channel must be
 * new: unregistered, unconnected, of the class {@code transport} names.
 */
@FunctionalInterface
public interface UpstreamSockets {
  /** Which channel class the event loops run. */
  enum Transport {
    /** {@link EpollSocketChannel} (Linux, native epoll). */
    EPOLL,
    /** {@link NioSocketChannel} (fallback when native epoll is unavailable). */
    NIO
  }

  /** Creates sockets in the current thread's (the event loop's) network namespace. */
  UpstreamSockets DEFAULT =
      (upstream, transport) ->
          switch (transport) {
            case EPOLL -> new EpollSocketChannel();
            case NIO -> new NioSocketChannel();
          };

  /**
   * A new channel for a connection to {@code upstream}. Called on an event loop each time the proxy
   * opens an upstream connection: it may wait briefly for another thread, never for I/O.
   */
  SocketChannel open(InetSocketAddress upstream, Transport transport);
}
