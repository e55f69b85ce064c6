package dev.hearth.startd.net.proxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 upstream on 127.0.0.1 (the JDK's server): {@code /} answers "hello from NAME" and
 * echoes the X-Forwarded-* headers it got; {@code /big?mib=N} streams N MiB (chunked).
 */
final class TestUpstream implements AutoCloseable {
  private final HttpServer server;

  TestUpstream(String name) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          var sb = new StringBuilder("hello from " + name + "\n");
          ex.getRequestHeaders()
              .forEach((k, v) -> {
                String key = k.toLowerCase(Locale.ROOT);
                if (key.startsWith("x-forwarded") || key.equals("forwarded"))
                  sb.append(key).append(": ").append(String.join(",", v)).append('\n');
              });
          ex.getRequestBody().readAllBytes();
          byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/big",
        ex -> {
          int mib = Integer.parseInt(ex.getRequestURI().getQuery().substring(4));
          ex.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[1 << 20];
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < mib; i++) out.write(chunk);
          } catch (IOException closed) {
            // the client went away
          }
        });
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
