package dev.hearth.startd.continuation;

/**
 * What a WebSocket continuation does once the client connects, on its own virtual thread. When it
 * returns, the socket closes with 1000 {@code complete}; when it throws, with 1011 and the message.
 */
@FunctionalInterface
public interface SocketJob {
  void run(Socket socket) throws Exception;
}
