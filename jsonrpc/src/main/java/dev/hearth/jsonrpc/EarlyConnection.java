package dev.hearth.jsonrpc;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A connection to a server opened on a thread of its own, started before the caller knows it will
 * need it, and handed to the first call to that server ({@link RpcClient#RpcClient(URI,
 * com.fasterxml.jackson.databind.ObjectMapper, Supplier, EarlyConnection)}). A command line parses
 * its arguments while the TCP connect and the TLS handshake run beside it: on two cores the
 * handshake, which costs a short-lived JVM more than anything else a call does, leaves the critical
 * path.
 *
 * <p>Used at most once. A connection that failed is not an error here: the call connects again and
 * reports what it meets.
 */
public final class EarlyConnection implements AutoCloseable {
  /**
   * How long an unused connection stays good for a call. A command may wait for its user first (a
   * password prompt), and a server closes idle connections; well within any server's idle timeout,
   * an older connection is closed and the call makes its own.
   */
  static final Duration FRESH = Duration.ofSeconds(5);

  private final URI base;
  private final Duration fresh;
  private final CompletableFuture<Socket> socket = new CompletableFuture<>();
  private volatile long connectedAt; // System.nanoTime() when the connection was made
  private boolean taken; // guarded by this

  private EarlyConnection(URI base, Duration fresh) {
    this.base = base;
    this.fresh = fresh;
  }

  /**
   * Starts connecting to {@code base} ({@code http} or {@code https}) on a daemon thread.
   *
   * @param tls the TLS context for an {@code https} server
   */
  public static EarlyConnection open(URI base, Supplier<SSLContext> tls, Duration timeout) {
    return open(base, tls, timeout, FRESH);
  }

  static EarlyConnection open(
      URI base, Supplier<SSLContext> tls, Duration timeout, Duration fresh) {
    var early = new EarlyConnection(base, fresh);
    var http = new Http11(tls, timeout);
    Thread.ofPlatform().daemon().name("early-connection").start(() -> early.connect(http, timeout));
    return early;
  }

  private void connect(Http11 http, Duration timeout) {
    try {
      Socket s = http.connect(base, timeout);
      connectedAt = System.nanoTime();
      socket.complete(s);
    } catch (IOException | RuntimeException e) {
      socket.completeExceptionally(e);
    }
  }

  /**
   * The connected socket, once, if {@code url} is on this server and the connection succeeded and
   * is still {@linkplain #FRESH fresh}; the caller owns it.
   */
  @Nullable Socket take(URI url) {
    synchronized (this) {
      if (taken || !sameServer(url)) {
        return null;
      }
      taken = true;
    }
    Socket s;
    try {
      s = socket.get();
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (System.nanoTime() - connectedAt > fresh.toNanos()) {
      closeQuietly(s);
      return null;
    }
    return s;
  }

  /** Waits until the connection is made or has failed; true if it failed. */
  boolean awaitFailed() {
    return socket.handle((s, e) -> e != null).join();
  }

  private boolean sameServer(URI url) {
    return url.getScheme().equalsIgnoreCase(base.getScheme())
        && url.getHost().equalsIgnoreCase(base.getHost())
        && Http11.port(url) == Http11.port(base);
  }

  /** Closes the connection unless a call took it. */
  @Override
  public void close() {
    synchronized (this) {
      if (taken) {
        return;
      }
      taken = true;
    }
    socket.thenAccept(EarlyConnection::closeQuietly);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing was sent on it
    }
  }
}
