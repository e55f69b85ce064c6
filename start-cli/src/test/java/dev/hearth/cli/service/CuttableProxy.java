package dev.hearth.cli.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a registry, that a test can make misbehave: cut a response
 * after some bytes, and refuse every connection while "down" — a registry that stops answering in
 * the middle of a download. It keeps the request heads it saw, so a test can see a resume ask for
 * the rest ({@code Range}).
 */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong cutAfter = new AtomicLong(Long.MAX_VALUE);
  final List<String> requests = new CopyOnWriteArrayList<>();

  CuttableProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/";
  }

  /**
   * The next response that carries more than {@code bytes} is cut there, and the proxy goes down.
   */
  void cutNextResponseAfter(long bytes) {
    cutAfter.set(bytes);
  }

  void setDown(boolean isDown) {
    down.set(isDown);
  }

  boolean isDown() {
    return down.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (down.get()) {
          client.close();
          continue;
        }
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        Socket upstream = new Socket(target.getAddress(), target.getPort())) {
      Thread.ofVirtual().start(() -> pipeRequests(client, upstream));
      InputStream in = upstream.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        // Bytes since the cut was armed, on whatever connection: a kept-alive connection has
        // carried earlier answers.
        long before = cutAfter.getAndAdd(-n);
        if (before != Long.MAX_VALUE && before < n) {
          out.write(buffer, 0, (int) Math.max(0, before));
          out.flush();
          cutAfter.set(Long.MAX_VALUE);
          down.set(true);
          // An orderly end (FIN) mid-answer, so the client keeps what it was sent; a reset could
          // make its kernel drop bytes the client had not read yet.
          client.shutdownOutput();
          Thread.sleep(500);
          return;
        }
        if (before == Long.MAX_VALUE) {
          cutAfter.set(Long.MAX_VALUE); // unarmed stays unarmed
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the client or the registry went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pipeRequests(Socket client, Socket upstream) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = upstream.getOutputStream();
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        String text = new String(buffer, 0, Math.min(n, 2048), StandardCharsets.ISO_8859_1);
        if (text.startsWith("GET ") || text.startsWith("POST ") || text.startsWith("HEAD ")) {
          requests.add(text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))));
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
