package dev.hearth.startd.net.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Opens COUNT idle TLS connections to {@code 127.0.0.1:PORT} for {@code scripts/bench-proxy.sh}:
 * each from one of 32 source addresses (127.0.0.10 to 127.0.0.41, so no per-client limit is hit),
 * completes its handshake and one keep-alive {@code GET /1k} (so it is an idle keep-alive
 * connection, not a slow-loris one that a header timeout would close), then holds it. Prints {@code
 * open N} when all are open and holds them until killed. The certificate is not checked: this
 * measures the server, and the bench checks the TLS line separately with openssl.
 *
 * <p>Run: {@code java -cp … dev.hearth.startd.net.proxy.ProxyIdleClients PORT COUNT}
 */
public final class ProxyIdleClients {
  private static final int SOURCES = 32;

  private ProxyIdleClients() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, new X509TrustManager[] {new TrustAll()}, new SecureRandom());
    List<Future<SSLSocket>> opening = new ArrayList<>(count);
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < count; i++) {
        String source = "127.0.0." + (10 + i % SOURCES);
        opening.add(pool.submit(() -> open(tls, port, source)));
      }
    }
    List<SSLSocket> open = new ArrayList<>(count);
    for (var f : opening) open.add(f.get());
    System.out.println("open " + open.size());
    System.out.flush();
    new CountDownLatch(1).await(); // hold them until killed
  }

  private static SSLSocket open(SSLContext tls, int port, String source) throws IOException {
    var plain = new Socket();
    plain.bind(new InetSocketAddress(source, 0));
    plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    var s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
    s.setSoTimeout(30_000);
    s.startHandshake();
    s.getOutputStream()
        .write("GET /1k HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    readResponse(s.getInputStream());
    return s;
  }

  /** Reads one response head and its Content-Length body. */
  private static void readResponse(InputStream in) throws IOException {
    var head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before the response head ended: " + head);
      head.append((char) b);
    }
    var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (!m.find()) throw new IOException("no Content-Length in " + head);
    in.readNBytes(Integer.parseInt(m.group(1)));
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
