package dev.hearth.startd.continuation;

import java.io.IOException;

/**
 * The server end of a continuation's WebSocket, as a job sees it. {@link #send} blocks until the
 * frame is written; a client that stops reading makes it fail, so a job never buffers without
 * bound.
 */
public interface Socket {
  /**
   * Sends one text frame.
   *
   * @throws IOException if the socket is closed or the client did not take the frame in time
   */
  void send(String text) throws IOException;

  boolean isOpen();

  /** Closes with a WebSocket status code and reason. */
  void close(int code, String reason);
}
