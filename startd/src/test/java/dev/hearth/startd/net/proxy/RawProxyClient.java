package dev.hearth.startd.net.proxy;

import dev.hearth.startd.net.proxy.RawUpstream.Head;
import dev.hearth.startd.net.proxy.RawUpstream.Message;
import dev.hearth.startd.net.proxy.RawUpstream.Wire;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One raw client connection to the proxy, reading its answers as the bytes they are. */
final class RawProxyClient implements AutoCloseable {
  /** How long a read waits for the proxy. */
  static final int TIMEOUT_MS = 5_000;

  private final Socket socket;
  private final Wire in;

  RawProxyClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(TIMEOUT_MS);
    this.in = new Wire(socket.getInputStream());
  }

  void send(String raw) throws IOException {
    socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** The next response to a {@code method} request; fails the test when there is none. */
  Message response(String method) throws IOException {
    Answer a = answer(method);
    if (a.message() == null) throw new AssertionError(a.note());
    return a.message();
  }

  Answer answer(String method) throws IOException {
    try {
      Message m = RawUpstream.readResponse(in, method);
      return m == null
          ? new Answer(null, "the proxy closed the connection without an answer")
          : new Answer(m, "");
    } catch (SocketTimeoutException e) {
      return new Answer(null, "no answer within " + TIMEOUT_MS + " ms; got: " + received());
    } catch (EOFException e) {
      return new Answer(null, "the connection ended inside an answer: " + received());
    }
  }

  /** Null when the proxy closes the connection with nothing more sent; else what it did. */
  @Nullable String closeProblem() throws IOException {
    try {
      if (in.read() < 0) return null;
      return "more bytes after the answer; all received: " + received();
    } catch (SocketTimeoutException e) {
      return "still open " + TIMEOUT_MS + " ms after the answer";
    }
  }

  /** What is left until the proxy closes (or the read times out). */
  Drained drain() throws IOException {
    int from = in.position();
    boolean closed;
    try {
      in.rest();
      closed = true;
    } catch (SocketTimeoutException e) {
      closed = false;
    }
    byte[] all = in.text().getBytes(StandardCharsets.ISO_8859_1);
    return new Drained(Arrays.copyOfRange(all, from, all.length), closed);
  }

  private String received() {
    return "\"" + in.text().replace("\r", "\\r").replace("\n", "\\n") + "\"";
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A response, or why there is none. */
  record Answer(@Nullable Message message, String note) {
    int status() {
      return message == null ? -1 : message.status();
    }

    @Override
    public String toString() {
      return message == null ? note : message.toString();
    }
  }

  /** Everything a client received until the proxy closed, or until the read timed out. */
  record Drained(byte[] bytes, boolean closed) {
    @Override
    public String toString() {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      return (closed ? "" : "(still open after " + TIMEOUT_MS + " ms) ")
          + "\""
          + text.replace("\r", "\\r").replace("\n", "\\n")
          + "\"";
    }
  }

  /** Every response in {@code bytes}, the last one cut short (incomplete) if it is. */
  static List<Message> responses(byte[] bytes, String method) throws IOException {
    Wire w = Wire.of(bytes);
    List<Message> out = new ArrayList<>();
    try {
      for (Message m; (m = RawUpstream.readResponse(w, method)) != null; ) {
        out.add(m);
        if (!m.complete()) break;
      }
    } catch (EOFException cutInsideAHead) {
      out.add(
          new Message(
              new Head("(cut inside a head)", List.of()),
              new byte[0],
              List.of(),
              RawUpstream.Framing.NONE,
              false));
    }
    return out;
  }
}
