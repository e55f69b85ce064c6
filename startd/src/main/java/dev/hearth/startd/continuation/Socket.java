package dev.hearth.startd.continuation;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The server end of a continuation's WebSocket, as a job sees it. {@link #send} blocks until the
 * frame is written; a client that stops reading makes it fail, so a job never buffers without
 * bound. Frames from the client wait for {@link #receive}, up to a bound (jobs that take no input
 * never call it).
 */
public interface Socket {
  /**
   * Sends one text frame.
   *
   * @throws IOException if the socket is closed or the client did not take the frame in time
   */
  void send(String text) throws IOException;

  /**
   * Sends one binary frame.
   *
   * @throws IOException as {@link #send}
   */
  void sendBinary(byte[] data) throws IOException;

  /**
   * The next frame from the client, waiting for it; null once the socket is closed.
   *
   * @throws InterruptedException if the job is interrupted while waiting
   */
  @Nullable Inbound receive() throws InterruptedException;

  /** A frame from the client: text, or binary. */
  sealed interface Inbound {
    record Text(String text) implements Inbound {}

    record Binary(byte[] data) implements Inbound {}
  }

  boolean isOpen();

  /** Closes with a WebSocket status code and reason. */
  void close(int code, String reason);
}
