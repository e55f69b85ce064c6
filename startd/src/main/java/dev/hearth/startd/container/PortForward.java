package dev.hearth.startd.container;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A userspace TCP forward from a host port to a container's port, made by {@link
 * Containers#forward}. One virtual thread accepts; each connection gets two virtual threads, one
 * per direction, that copy with blocking reads and writes (back-pressure is the blocking write). A
 * half-close is passed on, so request/response protocols that shut down their output work. Closing
 * the forward stops listening and drops its connections; it is idempotent.
 */
public final class PortForward implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortForward.class);
  private static final int BUFFER_BYTES = 16 * 1024;
  private static final Duration CONNECT_LIMIT = Duration.ofSeconds(10);

  /** Opens the upstream socket (inside the bridge's namespace when there is one). */
  @FunctionalInterface
  interface Upstream {
    SocketChannel open() throws IOException;
  }

  private final ServerSocketChannel server;
  private final InetSocketAddress listen;
  private final InetSocketAddress target;
  private final Upstream upstream;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final Consumer<PortForward> onClose;
  private volatile boolean closed;

  PortForward(
      InetSocketAddress bind,
      InetSocketAddress target,
      Upstream upstream,
      Consumer<PortForward> onClose)
      throws IOException {
    this.target = target;
    this.upstream = upstream;
    this.onClose = onClose;
    this.server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(bind);
    this.listen = (InetSocketAddress) server.getLocalAddress();
    this.acceptor = Thread.ofVirtual().name("forward-" + listen.getPort()).start(this::accept);
  }

  /** The address it listens on, with the port it got. */
  public InetSocketAddress listenAddress() {
    return listen;
  }

  public int port() {
    return listen.getPort();
  }

  public InetSocketAddress target() {
    return target;
  }

  private void accept() {
    while (!closed) {
      SocketChannel down;
      try {
        down = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("forward {} -> {} stopped accepting: {}", listen, target, e.toString());
        }
        return;
      }
      Thread.ofVirtual().name("forward-" + listen.getPort() + "-conn").start(() -> serve(down));
    }
  }

  private void serve(SocketChannel down) {
    open.add(down);
    SocketChannel up = null;
    try {
      if (closed) { // close() may have swept `open` before we joined it
        return;
      }
      up = upstream.open();
      open.add(up);
      if (closed) {
        return;
      }
      up.socket().connect(target, (int) CONNECT_LIMIT.toMillis());
      SocketChannel u = up;
      Thread back = Thread.ofVirtual().start(() -> copy(u, down));
      copy(down, up);
      back.join();
    } catch (IOException e) {
      log.debug("forward {} -> {}: {}", listen, target, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      quietClose(down);
      if (up != null) {
        quietClose(up);
      }
    }
  }

  private void copy(SocketChannel from, SocketChannel to) {
    ByteBuffer b = ByteBuffer.allocate(BUFFER_BYTES);
    try {
      while (from.read(b) >= 0) {
        b.flip();
        while (b.hasRemaining()) {
          to.write(b);
        }
        b.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      quietClose(from); // one direction broke: the other cannot go on either
      quietClose(to);
    }
  }

  private void quietClose(SocketChannel c) {
    open.remove(c);
    try {
      c.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
    for (SocketChannel c : open) {
      quietClose(c);
    }
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "PortForward[" + listen + " -> " + target + "]";
  }
}
