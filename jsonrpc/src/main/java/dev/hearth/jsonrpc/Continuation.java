package dev.hearth.jsonrpc;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The client end of a WebSocket continuation: text frames arrive in order in a queue; {@link #next}
 * takes them. Used by the CLI (follow, progress) and tests.
 */
public final class Continuation implements AutoCloseable {
  /** How the server closed the socket, once it has. */
  public record Closed(int code, String reason) {}

  private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
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

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(partial.toString());
          partial.setLength(0);
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
   * every frame was taken.
   */
  public Optional<String> next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String frame =
          frames.poll(Math.min(50, Math.max(1, timeout.toMillis())), TimeUnit.MILLISECONDS);
      if (frame != null) {
        return Optional.of(frame);
      }
      if ((closed.isDone() && frames.isEmpty()) || System.nanoTime() > deadline) {
        return Optional.empty();
      }
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
