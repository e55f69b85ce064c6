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

  static String get(String host) {
    return "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  }
}
