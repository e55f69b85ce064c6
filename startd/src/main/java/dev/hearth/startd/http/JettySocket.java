package dev.hearth.startd.http;

import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.Socket;
import dev.hearth.startd.continuation.SocketJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A continuation's WebSocket: runs its job on a virtual thread once open, and closes with 1000
 * {@code complete} when the job returns or 1011 and the message when it throws. Frames from the
 * client wait in a queue for {@link #receive}; past {@link #MAX_PENDING_INPUT} bytes not taken (a
 * job that takes no input never takes any), the socket closes with 1008. A frame the client does
 * not take within {@link #SEND_TIMEOUT} ends the connection. Either way a client cannot make the
 * server hold memory without bound.
 */
public final class JettySocket implements Session.Listener.AutoDemanding, Socket {
  private static final Logger log = LoggerFactory.getLogger(JettySocket.class);
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_PENDING_INPUT = 1 << 20;
  private static final Inbound CLOSED = new Inbound.Text("");

  private final SocketJob job;
  private final Runnable discard;
  private final @Nullable String sessionId;
  private final Continuations continuations;
  private final AtomicBoolean discarded = new AtomicBoolean();
  private volatile @Nullable Session session;
  private volatile boolean open;
  private final LinkedBlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
  private final AtomicLong pendingInput = new AtomicLong();

  JettySocket(Continuations.Claimed<SocketJob> claimed, Continuations continuations) {
    this.job = claimed.job();
    this.discard = claimed.discard();
    this.sessionId = claimed.session();
    this.continuations = continuations;
  }

  /** Releases what the job holds, once, whether it ran or not. */
  private void discard() {
    if (discarded.compareAndSet(false, true)) {
      discard.run();
    }
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    this.open = true;
    continuations.opened(this, sessionId);
    Thread.ofVirtual().name("ws-continuation").start(this::run);
  }

  private void run() {
    try {
      job.run(this);
      close(1000, "complete");
    } catch (IOException e) {
      disconnect(); // the client went away or stopped reading: no close handshake to wait for
    } catch (InterruptedException e) {
      close(1001, "interrupted");
    } catch (Exception e) {
      log.warn("continuation failed", e);
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      close(1011, message.length() > 120 ? message.substring(0, 120) : message);
    } finally {
      discard();
    }
  }

  @Override
  public void send(String text) throws IOException {
    Session s = session();
    var done = new CompletableFuture<Void>();
    s.sendText(text, Callback.from(() -> done.complete(null), done::completeExceptionally));
    await(s, done);
  }

  @Override
  public void sendBinary(byte[] data) throws IOException {
    Session s = session();
    var done = new CompletableFuture<Void>();
    s.sendBinary(
        ByteBuffer.wrap(data),
        Callback.from(() -> done.complete(null), done::completeExceptionally));
    await(s, done);
  }

  private Session session() throws IOException {
    Session s = session;
    if (!open || s == null) {
      throw new IOException("the socket is closed");
    }
    return s;
  }

  private void await(Session s, CompletableFuture<Void> done) throws IOException {
    try {
      done.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.info("dropping a stream whose client did not read for {} s", SEND_TIMEOUT.toSeconds());
      s.disconnect();
      throw new IOException("the client did not read a frame within " + SEND_TIMEOUT);
    } catch (ExecutionException e) {
      throw new IOException("sending failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    }
  }

  @Override
  public @Nullable Inbound receive() throws InterruptedException {
    Inbound next = inbound.take();
    if (next == CLOSED) {
      inbound.add(CLOSED); // for the next caller too
      return null;
    }
    pendingInput.addAndGet(-size(next));
    return next;
  }

  @Override
  public void onWebSocketText(String text) {
    offer(new Inbound.Text(text));
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback done) {
    byte[] data = new byte[payload.remaining()];
    payload.get(data);
    done.succeed();
    offer(new Inbound.Binary(data));
  }

  private void offer(Inbound frame) {
    if (pendingInput.addAndGet(size(frame)) > MAX_PENDING_INPUT) {
      // Dropping frames would lose input silently (keys typed into an attach): end it instead.
      log.info("closing a stream whose client sent over {} bytes not yet read", MAX_PENDING_INPUT);
      close(1008, "more input than the server has read");
      return;
    }
    inbound.add(frame);
  }

  private static long size(Inbound frame) {
    return switch (frame) {
      case Inbound.Text t -> t.text().length();
      case Inbound.Binary b -> b.data().length;
    };
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /**
   * Closes with a close frame; a client that does not answer it within {@link #CLOSE_TIMEOUT} is
   * disconnected, so a client that stopped reading cannot keep the connection.
   */
  @Override
  public void close(int code, String reason) {
    Session s = session;
    inbound.add(CLOSED);
    if (open && s != null) {
      open = false;
      s.close(code, reason, Callback.NOOP);
      Thread.ofVirtual()
          .start(() -> {
            try {
              Thread.sleep(CLOSE_TIMEOUT);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            if (s.isOpen()) {
              s.disconnect();
            }
          });
    }
    continuations.closed(this);
  }

  private void disconnect() {
    Session s = session;
    open = false;
    inbound.add(CLOSED);
    if (s != null) {
      s.disconnect();
    }
    continuations.closed(this);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    open = false;
    inbound.add(CLOSED);
    continuations.closed(this);
    if (session == null) {
      discard(); // closed before it ever opened: the job will not run
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    open = false;
    inbound.add(CLOSED);
    continuations.closed(this);
    if (session == null) {
      discard();
    }
  }
}
