package dev.hearth.jsonrpc;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 requests over a plain socket, or a TLS one for {@code https}: what a JSON-RPC call needs
 * and nothing more. A command-line call pays for the classes it loads, and the JDK's {@code
 * HttpClient} brings hundreds (its executor, HTTP/2, and TLS even for plain HTTP); this loads a
 * socket, and TLS only when the URL asks for it.
 *
 * <p>The connection a response leaves open is kept for the next request to the same server, for a
 * few seconds ({@link #IDLE}): a command that makes two calls over HTTPS pays for one handshake.
 *
 * <p>The server is not trusted to be sane: the status line and headers are bounded ({@link
 * #MAX_HEAD}), chunk sizes are checked, and a body ends where its length says.
 */
final class Http11 {
  /** The most bytes of status line and headers we read before giving up on a response. */
  static final int MAX_HEAD = 64 * 1024;

  /** The most bytes of body a response may have unless told otherwise: what an array holds. */
  static final long MAX_BODY = Integer.MAX_VALUE - 8;

  /** A response whose body is longer than the reader accepts: it was not read. */
  static final class TooLong extends IOException {
    final long limit;

    TooLong(long limit) {
      super("the answer is longer than " + limit + " bytes");
      this.limit = limit;
    }
  }

  /** A response: status, headers by lower-case name, body. */
  /**
   * @param reusable the body's end was known from its framing and neither side asked to close: the
   *     connection may carry another request
   */
  record Response(int status, Map<String, List<String>> headers, byte[] body, boolean reusable) {
    /** The first value of a header, or null. */
    @Nullable String first(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.getFirst();
    }

    List<String> all(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  /** What a request sends: bytes in memory or a file's contents. */
  sealed interface Body {
    long length();

    void writeTo(OutputStream out) throws IOException;

    record Bytes(byte[] bytes) implements Body {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
      }
    }

    record File(Path path) implements Body {
      @Override
      public long length() {
        try {
          return Files.size(path);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        Files.copy(path, out);
      }
    }
  }

  /**
   * How long a connection left open stays good for the next request: far below any server's idle
   * timeout (Jetty's is 30 s in {@code startd}), so that a server rarely closes one we are about to
   * use.
   */
  static final Duration IDLE = Duration.ofSeconds(5);

  /** An open connection between two requests. */
  private record Idle(String server, Socket socket, InputStream in, long since) {}

  private final Supplier<SSLContext> tls;
  private final Duration connectTimeout;
  private final @Nullable EarlyConnection early;
  private @Nullable Idle idle; // guarded by this
  private volatile long maxBody = MAX_BODY;

  /**
   * @param tls the TLS context for {@code https} URLs, asked for only when one is used
   */
  Http11(Supplier<SSLContext> tls, Duration connectTimeout) {
    this(tls, connectTimeout, null);
  }

  /**
   * @param early a connection opened ahead, which the first request to its server uses
   */
  Http11(Supplier<SSLContext> tls, Duration connectTimeout, @Nullable EarlyConnection early) {
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.early = early;
  }

  /** The port of an {@code http} or {@code https} URL, its scheme's default when none is given. */
  static int port(URI url) {
    boolean https = url.getScheme().equalsIgnoreCase("https");
    return url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
  }

  /**
   * A connection to {@code url}'s server: TCP, and for {@code https} TLS with its handshake done
   * and the certificate checked against the host name.
   */
  Socket connect(URI url, Duration readTimeout) throws IOException {
    String host = url.getHost();
    int port = port(url);
    // A direct connection, as the JDK's HttpClient made it: no SOCKS proxy from system
    // properties, and no proxy selector to initialize on a short-lived process's critical path.
    var socket = new Socket(Proxy.NO_PROXY);
    try {
      socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) readTimeout.toMillis());
      if (!url.getScheme().equalsIgnoreCase("https")) {
        return socket;
      }
      var ssl = (SSLSocket) tls.get().getSocketFactory().createSocket(socket, host, port, true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      return ssl;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * POSTs {@code body} to {@code url}, on the connection the last response left open if it is to
   * the same server and still good, else on a new one.
   *
   * @param headers name and value pairs, sent in order
   * @param readTimeout the longest wait for any read, 0 for none
   */
  Response post(URI url, List<String[]> headers, Body body, Duration readTimeout)
      throws IOException {
    Idle kept = takeIdle(url);
    if (kept != null) {
      try {
        return exchange(url, kept.socket(), kept.in(), headers, body, readTimeout, true);
      } catch (NotSent e) {
        // The server closed it before reading a whole request: nothing ran, so send it again.
      }
    }
    Socket ahead = early == null ? null : early.take(url);
    Socket s = ahead != null ? ahead : connect(url, readTimeout);
    InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    return exchange(url, s, in, headers, body, readTimeout, false);
  }

  /** A request on a kept connection that failed before the server could have read all of it. */
  private static final class NotSent extends IOException {
    NotSent(IOException cause) {
      super(cause);
    }
  }

  private Response exchange(
      URI url,
      Socket s,
      InputStream in,
      List<String[]> headers,
      Body body,
      Duration readTimeout,
      boolean reused)
      throws IOException {
    boolean keep = false;
    try {
      if (reused && closedByServer(s, in)) {
        throw new NotSent(new EOFException("the server closed the connection"));
      }
      s.setSoTimeout((int) readTimeout.toMillis()); // one opened ahead has the connect timeout
      OutputStream out = s.getOutputStream();
      try {
        out.write(head(url, headers, body.length()));
        body.writeTo(out);
        out.flush();
      } catch (IOException e) {
        // A request cut short is one the server cannot act on (its length says it is incomplete).
        throw reused ? new NotSent(e) : e;
      }
      Response response = read(in, maxBody);
      keep = response.reusable();
      if (keep) {
        keepIdle(new Idle(server(url), s, in, System.nanoTime()));
      }
      return response;
    } finally {
      if (!keep) {
        s.close();
      }
    }
  }

  /**
   * Whether the server has closed a kept connection: it has nothing to say between responses, so
   * anything readable now is its end of stream (or garbage, which makes the connection unusable
   * too). Waits at most a millisecond.
   */
  private static boolean closedByServer(Socket s, InputStream in) {
    try {
      s.setSoTimeout(1);
      in.read();
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false; // quiet: still open
    } catch (IOException e) {
      return true;
    }
  }

  private synchronized @Nullable Idle takeIdle(URI url) {
    Idle kept = idle;
    idle = null;
    if (kept == null) {
      return null;
    }
    if (kept.server().equals(server(url))
        && System.nanoTime() - kept.since() < IDLE.toNanos()
        && !kept.socket().isClosed()) {
      return kept;
    }
    closeQuietly(kept.socket());
    return null;
  }

  private void keepIdle(Idle kept) {
    closeQuietly(swapIdle(kept));
  }

  /** Closes the connection kept between requests, if any. */
  void close() {
    closeQuietly(swapIdle(null));
  }

  private synchronized @Nullable Idle swapIdle(@Nullable Idle next) {
    Idle old = idle;
    idle = next;
    return old;
  }

  private static String server(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + url.getHost().toLowerCase(Locale.ROOT)
        + ":"
        + port(url);
  }

  private static void closeQuietly(@Nullable Idle kept) {
    if (kept != null) {
      closeQuietly(kept.socket());
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing is owed on a connection between requests
    }
  }

  private static byte[] head(URI url, List<String[]> headers, long length) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    var sb = new StringBuilder(256);
    sb.append("POST ").append(path).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(url.getRawAuthority()).append("\r\n");
    for (String[] h : headers) {
      if (h[1].indexOf('\r') >= 0 || h[1].indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header " + h[0] + " has a line break");
      }
      sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    sb.append("Content-Length: ").append(length).append("\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The most bytes of body a response may have: a longer one fails with {@link TooLong} as soon as
   * its length says so, or once that many bytes have come, and is not kept in memory.
   */
  void setMaxBody(long bytes) {
    this.maxBody = Math.min(bytes, MAX_BODY);
  }

  static Response read(InputStream in) throws IOException {
    return read(in, MAX_BODY);
  }

  static Response read(InputStream in, long maxBody) throws IOException {
    var budget = new int[] {MAX_HEAD};
    String status = line(in, budget);
    // Skip interim 1xx responses (100 Continue and the like).
    int code = statusCode(status);
    Map<String, List<String>> headers = headers(in, budget);
    while (code / 100 == 1) {
      status = line(in, budget);
      code = statusCode(status);
      headers = headers(in, budget);
    }
    byte[] body;
    boolean framed = true;
    String te = first(headers, "transfer-encoding");
    String cl = first(headers, "content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = chunked(in, budget, maxBody);
    } else if (cl != null) {
      long n;
      try {
        n = Long.parseLong(cl.strip());
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + cl);
      }
      if (n < 0) {
        throw new IOException("bad Content-Length: " + cl);
      }
      if (n > maxBody) {
        throw new TooLong(maxBody);
      }
      body = in.readNBytes((int) n);
      if (body.length != n) {
        throw new EOFException("the response ended after " + body.length + " of " + n + " bytes");
      }
    } else {
      body = in.readNBytes((int) Math.min(maxBody + 1, MAX_BODY));
      if (body.length > maxBody) {
        throw new TooLong(maxBody);
      }
      framed = false;
    }
    String connection = first(headers, "connection");
    boolean reusable =
        framed
            && status.startsWith("HTTP/1.1 ")
            && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("close"));
    return new Response(code, headers, body, reusable);
  }

  private static int statusCode(String status) throws IOException {
    String[] f = status.split(" ", 3);
    if (f.length < 2 || !f[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 response: " + abbreviate(status));
    }
    try {
      return Integer.parseInt(f[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + abbreviate(status));
    }
  }

  private static Map<String, List<String>> headers(InputStream in, int[] budget)
      throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String l = line(in, budget); !l.isEmpty(); l = line(in, budget)) {
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header: " + abbreviate(l));
      }
      headers
          .computeIfAbsent(
              l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(l.substring(colon + 1).strip());
    }
    return headers;
  }

  private static byte[] chunked(InputStream in, int[] budget, long maxBody) throws IOException {
    var out = new ByteArrayOutputStream();
    while (true) {
      String size = line(in, budget);
      int semi = size.indexOf(';');
      long n;
      try {
        n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + abbreviate(size));
      }
      if (n < 0) {
        throw new IOException("bad chunk size: " + abbreviate(size));
      }
      if (n > maxBody - out.size()) {
        throw new TooLong(maxBody);
      }
      if (n == 0) {
        headers(in, budget); // trailers
        return out.toByteArray();
      }
      byte[] chunk = in.readNBytes((int) n);
      if (chunk.length != n) {
        throw new EOFException("the response ended inside a chunk");
      }
      out.write(chunk);
      budget[0] = MAX_HEAD; // the limit is per line group, not for the whole body
      if (!line(in, budget).isEmpty()) {
        throw new IOException("a chunk did not end with CRLF");
      }
    }
  }

  /** One line without its CRLF (or LF), charging its bytes to {@code budget}. */
  private static String line(InputStream in, int[] budget) throws IOException {
    var sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c == -1) {
        throw new EOFException("the server closed the connection mid-response");
      }
      if (--budget[0] < 0) {
        throw new IOException("the response's head is longer than " + MAX_HEAD + " bytes");
      }
      if (c == '\n') {
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
          sb.setLength(end - 1);
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
  }

  private static @Nullable String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
