package dev.hearth.startd.net.proxy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 upstream on 127.0.0.1 that answers with exactly the bytes a test chooses, malformed
 * ones included, and records exactly what it received: every byte of every connection, and the
 * requests parsed from them (heads, Content-Length and chunked bodies, trailers). Each accepted
 * connection is served by its own virtual thread: read a whole request, record it, write the
 * script's reply, and again until the proxy closes (or the reply says to close).
 *
 * <p>A request whose framing is broken (a bad chunk, a body cut short) is recorded as incomplete
 * and never answered; its connection is closed. {@link Wire} (the byte reader and message parser)
 * also serves the tests, to read what the proxy sends its clients.
 */
final class RawUpstream implements AutoCloseable {
  /** One header or trailer line, as received. */
  record Field(String name, String value) {
    @Override
    public String toString() {
      return name + ": " + value;
    }
  }

  /** A start line and its header fields, in order, duplicates kept. */
  record Head(String startLine, List<Field> fields) {
    Head {
      fields = List.copyOf(fields);
    }

    /** The values of every field named {@code name} (any case), in order. */
    List<String> values(String name) {
      List<String> out = new ArrayList<>();
      for (Field f : fields) if (f.name().equalsIgnoreCase(name)) out.add(f.value());
      return out;
    }
  }

  /** How a message's body was delimited. */
  enum Framing {
    NONE,
    LENGTH,
    CHUNKED,
    CLOSE
  }

  /**
   * One message as read from the wire.
   *
   * @param body the body, de-chunked; what arrived of it when incomplete
   * @param complete its framing ended as announced (a chunked body with its last chunk and trailer
   *     section, a Content-Length body with all its bytes, a close-delimited one at EOF)
   */
  record Message(Head head, byte[] body, List<Field> trailers, Framing framing, boolean complete) {
    /** The status code of a response; -1 when the status line has none. */
    int status() {
      String[] p = head.startLine().split(" ", 3);
      return p.length >= 2 && p[1].matches("[0-9]{3}") ? Integer.parseInt(p[1]) : -1;
    }

    String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      var sb = new StringBuilder(head.startLine());
      for (Field f : head.fields()) sb.append(" | ").append(f);
      String text = bodyText();
      sb.append(" | body[").append(framing).append(complete ? "" : ", INCOMPLETE").append("]: ");
      sb.append(text.length() > 200 ? text.substring(0, 200) + "…" : text);
      if (!trailers.isEmpty()) sb.append(" | trailers: ").append(trailers);
      return sb.toString().replace("\r", "\\r").replace("\n", "\\n");
    }
  }

  /**
   * One request as the upstream read it.
   *
   * @param connection the upstream connection's number (1 for the first accepted)
   * @param index its position on that connection (0 for the first)
   * @param rawLength the bytes it took on the wire, head and body
   */
  record Request(int connection, int index, Message message, int rawLength) {
    String method() {
      return part(0);
    }

    String target() {
      return part(1);
    }

    Head head() {
      return message.head();
    }

    byte[] body() {
      return message.body();
    }

    boolean complete() {
      return message.complete();
    }

    private String part(int i) {
      String[] p = message.head().startLine().split(" ", 3);
      return i < p.length ? p[i] : "";
    }

    @Override
    public String toString() {
      return "#" + connection + "." + index + " " + message;
    }
  }

  /** What the upstream sends back for one request, byte for byte; then it closes if asked. */
  record Reply(byte[] bytes, boolean close) {
    static Reply of(String raw) {
      return new Reply(raw.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    static Reply of(String head, byte[] body) {
      byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
      byte[] all = Arrays.copyOf(h, h.length + body.length);
      System.arraycopy(body, 0, all, h.length, body.length);
      return new Reply(all, false);
    }

    /** A well-formed 200 whose body names the connection and the request: "#2.0 GET /x 5\n". */
    static Reply ok(Request r) {
      String body =
          "#"
              + r.connection()
              + "."
              + r.index()
              + " "
              + r.method()
              + " "
              + r.target()
              + " "
              + r.body().length
              + "\n";
      return of("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    Reply thenClose() {
      return new Reply(bytes, true);
    }
  }

  /** Chooses the reply to each whole request; called on the connection's thread. */
  @FunctionalInterface
  interface Script {
    Reply answer(Request r);
  }

  /** One accepted connection. */
  static final class Conn {
    final int id;
    final Wire wire;
    private final Socket socket;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean endedByPeer;

    Conn(int id, Socket socket) throws IOException {
      this.id = id;
      this.socket = socket;
      this.wire = new Wire(socket.getInputStream());
    }
  }

  private final ServerSocket server;
  private final AtomicInteger ids = new AtomicInteger();
  private final List<Conn> conns = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Script script = Reply::ok;

  RawUpstream() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0), 64);
    Thread.ofVirtual().name("raw-upstream-accept").start(this::accept);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** From now on, whole requests are answered by {@code s}. */
  void script(Script s) {
    script = s;
  }

  /** Every request read so far (whole or not), in the order their heads ended. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The first request whose target is {@code target}. */
  Request request(String target) {
    for (Request r : requests) if (r.target().equals(target)) return r;
    throw new AssertionError("the upstream got no request for " + target + ": " + requests);
  }

  List<Request> requestsOn(int connection) {
    return requests.stream().filter(r -> r.connection() == connection).toList();
  }

  /** Bytes received on all connections. */
  int totalBytes() {
    int n = 0;
    for (Conn c : conns) n += c.wire.size();
    return n;
  }

  /** Everything received, connection by connection, for messages and searches. */
  String receivedText() {
    var sb = new StringBuilder();
    for (Conn c : conns)
      sb.append("[#").append(c.id).append("] ").append(c.wire.text()).append('\n');
    return sb.toString();
  }

  /**
   * Whether connection {@code id} was closed by the proxy within {@code seconds}: true once the
   * upstream read its end (or a reset); false if it still stands, or the upstream closed it.
   */
  boolean closedByProxy(int id, int seconds) throws InterruptedException {
    for (Conn c : conns) {
      if (c.id != id) continue;
      return c.ended.await(seconds, TimeUnit.SECONDS) && c.endedByPeer;
    }
    throw new AssertionError("no upstream connection #" + id);
  }

  private void accept() {
    while (true) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException closed) {
        return;
      }
      try {
        var c = new Conn(ids.incrementAndGet(), s);
        conns.add(c);
        Thread.ofVirtual().name("raw-upstream-" + c.id).start(() -> serve(c));
      } catch (IOException e) {
        closeQuietly(s);
      }
    }
  }

  private void serve(Conn c) {
    try (Socket s = c.socket) {
      for (int i = 0; ; i++) {
        int start = c.wire.position();
        Message m = readRequest(c.wire);
        if (m == null) {
          c.endedByPeer = true;
          return;
        }
        var r = new Request(c.id, i, m, c.wire.position() - start);
        requests.add(r);
        if (!m.complete()) {
          c.endedByPeer = c.wire.ended(); // else: it cannot frame the request, and hangs up
          return;
        }
        Reply reply = script.answer(r);
        s.getOutputStream().write(reply.bytes());
        s.getOutputStream().flush();
        if (reply.close()) return;
      }
    } catch (IOException e) {
      c.endedByPeer = true; // cut mid-head, or reset
    } finally {
      c.ended.countDown();
    }
  }

  /**
   * Reads a request as a strict origin server would frame it: chunked when the last
   * Transfer-Encoding is chunked; else by one plain Content-Length; else no body. Anything else
   * (other codings, a bad length) is an incomplete request. Null at the end before a request.
   */
  static @Nullable Message readRequest(Wire w) throws IOException {
    Head head = w.head();
    if (head == null) return null;
    List<String> te = head.values("Transfer-Encoding");
    List<String> cl = head.values("Content-Length");
    if (!te.isEmpty()) {
      String[] codings = String.join(",", te).split(",");
      if (!codings[codings.length - 1].trim().equalsIgnoreCase("chunked"))
        return new Message(head, new byte[0], List.of(), Framing.CHUNKED, false);
      return w.chunked(head);
    }
    if (cl.isEmpty()) return new Message(head, new byte[0], List.of(), Framing.NONE, true);
    if (cl.size() > 1 || !cl.getFirst().matches("[0-9]{1,9}"))
      return new Message(head, new byte[0], List.of(), Framing.LENGTH, false);
    return w.length(head, Integer.parseInt(cl.getFirst()));
  }

  /**
   * Reads a response as a client that sent {@code method} would frame it: no body for HEAD, 1xx,
   * 204 and 304; else chunked, Content-Length or close-delimited. Null at the end before a
   * response.
   */
  static @Nullable Message readResponse(Wire w, String method) throws IOException {
    Head head = w.head();
    if (head == null) return null;
    var probe = new Message(head, new byte[0], List.of(), Framing.NONE, true);
    int status = probe.status();
    if (method.equals("HEAD") || (status >= 100 && status < 200) || status == 204 || status == 304)
      return probe;
    List<String> te = head.values("Transfer-Encoding");
    List<String> cl = head.values("Content-Length");
    if (!te.isEmpty() && te.getLast().trim().equalsIgnoreCase("chunked")) return w.chunked(head);
    if (!cl.isEmpty() && cl.getFirst().trim().matches("[0-9]{1,9}"))
      return w.length(head, Integer.parseInt(cl.getFirst().trim()));
    return new Message(head, w.rest(), List.of(), Framing.CLOSE, true);
  }

  @Override
  public void close() {
    closeQuietly(server);
    for (Conn c : conns) closeQuietly(c.socket);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  /**
   * Reads bytes from a stream, keeping every byte received (for {@link #text}) and where parsing is
   * ({@link #position}); parses HTTP/1.1 heads and bodies, leniently (any line may end in a bare
   * LF): it observes what a peer sent, it does not judge it. A reset, or a TLS close without
   * close_notify, counts as the end of the stream. A socket read timeout propagates.
   */
  static final class Wire {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,8}");
    private final InputStream in;
    private byte[] data = new byte[8192]; // guarded by this (appended by the reader)
    private int size; // guarded by this
    private int pos; // the reader's thread only
    private boolean end; // the reader's thread only

    Wire(InputStream in) {
      this.in = in;
    }

    static Wire of(byte[] bytes) {
      return new Wire(new ByteArrayInputStream(bytes));
    }

    int position() {
      return pos;
    }

    synchronized int size() {
      return size;
    }

    synchronized String text() {
      return new String(data, 0, size, StandardCharsets.ISO_8859_1);
    }

    /** Whether a read met the end of the stream (without waiting for it). */
    boolean ended() {
      return end;
    }

    /** The next byte, or -1 at the end. */
    int read() throws IOException {
      if (pos == size() && !fill()) return -1;
      synchronized (this) {
        return data[pos++] & 0xff;
      }
    }

    private boolean fill() throws IOException {
      if (end) return false;
      byte[] buf = new byte[16384];
      int n;
      try {
        n = in.read(buf);
      } catch (SocketException | SSLException reset) {
        n = -1;
      }
      if (n < 0) {
        end = true;
        return false;
      }
      synchronized (this) {
        if (size + n > data.length) data = Arrays.copyOf(data, Math.max(2 * data.length, size + n));
        System.arraycopy(buf, 0, data, size, n);
        size += n;
      }
      return true;
    }

    /** A line without its LF or CRLF; null at the end before any byte of it. */
    @Nullable String line() throws IOException {
      var sb = new StringBuilder();
      for (int b; (b = read()) != '\n'; ) {
        if (b < 0) {
          if (sb.isEmpty()) return null;
          throw new EOFException("the stream ended inside a line: " + sb);
        }
        sb.append((char) b);
      }
      int n = sb.length();
      if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
      return sb.toString();
    }

    /** A start line and header fields up to the empty line; null at the end before a head. */
    @Nullable Head head() throws IOException {
      String start = line();
      if (start == null) return null;
      List<Field> fields = new ArrayList<>();
      for (String l; !(l = requireLine()).isEmpty(); ) {
        int colon = l.indexOf(':');
        if (colon < 0) fields.add(new Field(l, ""));
        else fields.add(new Field(l.substring(0, colon), l.substring(colon + 1).strip()));
      }
      return new Head(start, fields);
    }

    private String requireLine() throws IOException {
      String l = line();
      if (l == null) throw new EOFException("the stream ended inside a head");
      return l;
    }

    /** A body of {@code n} bytes (fewer, incomplete, if the stream ends first). */
    Message length(Head head, int n) throws IOException {
      byte[] body = bytes(n);
      return new Message(head, body, List.of(), Framing.LENGTH, body.length == n);
    }

    /**
     * A chunked body, de-chunked, and its trailers. Incomplete (and read no further) at a chunk
     * size that is not hex, chunk data not followed by CRLF, or the end of the stream.
     */
    Message chunked(Head head) throws IOException {
      var body = new java.io.ByteArrayOutputStream();
      while (true) {
        String sizeLine = line();
        if (sizeLine == null) return partial(head, body);
        int semi = sizeLine.indexOf(';');
        String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
        if (!HEX.matcher(hex).matches()) return partial(head, body);
        int n = Integer.parseInt(hex, 16);
        if (n == 0) break;
        byte[] chunk = bytes(n);
        body.writeBytes(chunk);
        if (chunk.length < n || read() != '\r' || read() != '\n') return partial(head, body);
      }
      List<Field> trailers = new ArrayList<>();
      for (String l; ; ) {
        l = line();
        if (l == null) return partial(head, body);
        if (l.isEmpty()) break;
        int colon = l.indexOf(':');
        trailers.add(
            colon < 0
                ? new Field(l, "")
                : new Field(l.substring(0, colon), l.substring(colon + 1).strip()));
      }
      return new Message(head, body.toByteArray(), trailers, Framing.CHUNKED, true);
    }

    private static Message partial(Head head, java.io.ByteArrayOutputStream body) {
      return new Message(head, body.toByteArray(), List.of(), Framing.CHUNKED, false);
    }

    /** Up to {@code n} bytes: fewer only if the stream ends. */
    byte[] bytes(int n) throws IOException {
      var out = new java.io.ByteArrayOutputStream(Math.min(n, 1 << 16));
      for (int i = 0, b; i < n && (b = read()) >= 0; i++) out.write(b);
      return out.toByteArray();
    }

    /** Every byte up to the end. */
    byte[] rest() throws IOException {
      var out = new java.io.ByteArrayOutputStream();
      for (int b; (b = read()) >= 0; ) out.write(b);
      return out.toByteArray();
    }
  }
}
