package dev.hearth.startd.net.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Raw clients for what the JDK HttpClient cannot do: chosen SNI, source address, bad requests. */
final class ProxyClients {
  private ProxyClients() {}

  /** A TLS socket to 127.0.0.1:port that sends {@code sni} (or none) and verifies the name. */
  static SSLSocket tls(SSLContext ctx, int port, String sni, String source) throws IOException {
    Socket plain = plain(port, source);
    var s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, sni, port, true);
    var params = s.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!sni.matches("[0-9.]+")) params.setServerNames(List.of(new SNIHostName(sni)));
    else params.setServerNames(List.of());
    s.setSSLParameters(params);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  static Socket plain(int port, String source) throws IOException {
    var s = new Socket();
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Sends a request and reads the answer until the server closes. */
  static String exchange(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return readAll(s.getInputStream());
  }

  static String readAll(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    try {
      in.transferTo(out);
    } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
      // a reset after the answer still leaves the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads one response: its head, then as many body bytes as its Content-Length says (none without
   * one). A connection that ends before the head does is an error, not a wait.
   */
  static String readResponse(InputStream in) throws IOException {
    var head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before the response head ended: " + head);
      head.append((char) b);
    }
    var m = CONTENT_LENGTH.matcher(head);
    int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static final java.util.regex.Pattern CONTENT_LENGTH =
      java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

  static String get(String host) {
    return "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  }
}
