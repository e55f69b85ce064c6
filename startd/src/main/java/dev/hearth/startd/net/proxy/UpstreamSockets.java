package dev.hearth.startd.net.proxy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;

/**
 * Creates each upstream TCP socket. A socket belongs to the network namespace of the thread that
 * created it, and the daemon's containers may live in another namespace than the proxy's event
 * loops: this is the hook to create it there.
 *
 * <p>Netty's socket channels create their file descriptor in their constructor, so an
 * implementation for another namespace keeps one platform thread that has entered it with {@code
 * setns(2)} and, per call, runs {@code new IoUringSocketChannel()} (or the class {@code transport}
 * names) on that thread and returns the channel (a hand-off of a few microseconds; upstream
 * connections are pooled, so this is not per request). The proxy registers the channel on its event
 * loop and connects it. The channel must be new: unregistered, unconnected, of the class {@code
 * transport} names.
 */
@FunctionalInterface
public interface UpstreamSockets {
  /** Which channel class the event loops run. */
  enum Transport {
    /** {@link IoUringSocketChannel} (Linux, io_uring). */
    IO_URING,
    /** {@link EpollSocketChannel} (Linux, native epoll). */
    EPOLL,
    /** {@link NioSocketChannel} (the JDK's selector; works everywhere). */
    NIO;

    /**
     * The cheapest one here: io_uring unless the kernel lacks or forbids it ({@code
     * kernel.io_uring_disabled}, a seccomp filter), then epoll, then NIO. io_uring takes about a
     * quarter less CPU per proxied request than epoll (docs/networking.md, "Benchmarks").
     */
    public static Transport best() {
      for (Transport t : values()) if (t.available()) return t;
      throw new AssertionError("NIO is always available");
    }

    /** Whether this JVM can use it: its native library loads and the kernel allows it. */
    public boolean available() {
      return switch (this) {
        case IO_URING -> IoUring.isAvailable();
        case EPOLL -> Epoll.isAvailable();
        case NIO -> true;
      };
    }
  }

  /** Creates sockets in the current thread's (the event loop's) network namespace. */
  UpstreamSockets DEFAULT =
      (upstream, transport) ->
          switch (transport) {
            case IO_URING -> new IoUringSocketChannel();
            case EPOLL -> new EpollSocketChannel();
            case NIO -> new NioSocketChannel();
          };

  /**
   * A new channel for a connection to {@code upstream}. Called on an event loop each time the proxy
   * opens an upstream connection: it may wait briefly for another thread, never for I/O.
   */
  SocketChannel open(InetSocketAddress upstream, Transport transport);
}
