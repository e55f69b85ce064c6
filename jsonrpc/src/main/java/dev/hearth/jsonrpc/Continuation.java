package dev.hearth.jsonrpc;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client end of a WebSocket continuation: frames arrive in order in a queue; {@link #next}
 * takes text ones, {@link #nextFrame} any. Used by the CLI (follow, progress, attach) and tests.
 */
public final class Continuation implements AutoCloseable {
  /** How the server closed the socket, once it has. */
  public record Closed(int code, String reason) {}

  /** A frame from the server: text, or binary. */
  public sealed interface Frame {
    record Text(String text) implements Frame {}

    record Binary(byte[] data) implements Frame {}
  }

  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private volatile @Nullable WebSocket socket;

  private Continuation() {}

  static Continuation open(HttpClient http, URI uri) {
    var c = new Continuation();
    try {
      c.socket =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(uri, c.listener())
              .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new StartException(ErrorKind.NETWORK, "cannot open " + uri + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted opening " + uri, e);
    }
    return c;
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();
      private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(new Frame.Text(partial.toString()));
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBinary.writeBytes(bytes);
        if (last) {
          frames.add(new Frame.Binary(partialBinary.toByteArray()));
          partialBinary.reset();
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed.complete(new Closed(code, reason));
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error)));
      }
    };
  }

  /**
   * The next text frame, or empty if none arrives within {@code timeout} or the socket closed and
   * every frame was taken. Binary frames are skipped.
   */
  public Optional<String> next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Frame> frame =
          nextFrame(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (frame.isEmpty()) {
        return Optional.empty();
      }
      if (frame.get() instanceof Frame.Text(String text)) {
        return Optional.of(text);
      }
    }
  }

  /** The next frame of either kind; empty as for {@link #next}. */
  public Optional<Frame> nextFrame(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Frame frame =
          frames.poll(Math.min(50, Math.max(1, timeout.toMillis())), TimeUnit.MILLISECONDS);
      if (frame != null) {
        return Optional.of(frame);
      }
      if ((closed.isDone() && frames.isEmpty()) || System.nanoTime() > deadline) {
        return Optional.empty();
      }
    }
  }

  /** Sends a text frame to the server, waiting until it is written. */
  public void sendText(String text) {
    send(ws -> ws.sendText(text, true));
  }

  /** Sends a binary frame to the server, waiting until it is written. */
  public void sendBinary(byte[] data) {
    send(ws -> ws.sendBinary(ByteBuffer.wrap(data), true));
  }

  private void send(Function<WebSocket, CompletableFuture<WebSocket>> sending) {
    WebSocket ws = socket;
    if (ws == null || ws.isOutputClosed()) {
      throw new StartException(ErrorKind.NETWORK, "the stream is closed");
    }
    try {
      synchronized (this) { // one send at a time: the WebSocket API refuses overlapping ones
        sending.apply(ws).get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new StartException(ErrorKind.NETWORK, "cannot send on the stream: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted sending on the stream", e);
    }
  }

  /** How the server closed the socket, waiting up to {@code timeout}. */
  public Optional<Closed> awaitClose(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    if (ws != null) {
      ws.abort();
    }
  }
}
