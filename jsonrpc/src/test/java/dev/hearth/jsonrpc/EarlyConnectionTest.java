package dev.hearth.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** A connection opened ahead is used by the first call to its server, and only by that call. */
class EarlyConnectionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /**
   * A loopback JSON-RPC server answering each request with its connection's number (1 for the first
   * connection accepted), and counting connections. It closes each connection after one answer and
   * says so ({@code Connection: close}): without that, a client may send its next request on the
   * connection as it is being closed.
   */
  private static final class CountingServer implements AutoCloseable {
    final ServerSocket socket;
    final List<Integer> answered = new CopyOnWriteArrayList<>();
    volatile int accepted;

    CountingServer() throws IOException {
      this(0);
    }

    CountingServer(int port) throws IOException {
      socket = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
      Thread.ofPlatform().daemon().start(this::serve);
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          int number = ++accepted;
          InputStream in = s.getInputStream();
          var head = new StringBuilder();
          while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c == -1) {
              break; // opened and closed without a request
            }
            head.append((char) c);
          }
          if (head.isEmpty()) {
            continue;
          }
          int length =
              Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
          in.readNBytes(length);
          String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + number + "}";
          answered.add(number);
          s.getOutputStream()
              .write(
                  ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: "
                          + body.length()
                          + "\r\n\r\n"
                          + body)
                      .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          if (!socket.isClosed()) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static SSLContext noTls() {
    throw new AssertionError("no TLS for http");
  }

  private static int call(RpcClient client) {
    return client.call("echo", new ObjectMapper().createObjectNode()).asInt();
  }

  @Test
  void theFirstCallUsesTheConnectionOpenedAheadAndTheNextOneItsOwn() throws Exception {
    try (var server = new CountingServer()) {
      var early = EarlyConnection.open(server.url(), EarlyConnectionTest::noTls, TIMEOUT);
      // The connection is made before any call: the server has accepted it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.accepted == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(server.accepted).isEqualTo(1);
      var client =
          new RpcClient(server.url(), new ObjectMapper(), EarlyConnectionTest::noTls, early);
      assertThat(call(client)).as("answered on the early connection").isEqualTo(1);
      assertThat(call(client)).as("a connection of its own").isEqualTo(2);
      assertThat(server.accepted).isEqualTo(2);
    }
  }

  @Test
  void aConnectionToAnotherServerIsNotUsed() throws Exception {
    try (var intended = new CountingServer();
        var other = new CountingServer()) {
      var early = EarlyConnection.open(other.url(), EarlyConnectionTest::noTls, TIMEOUT);
      var client =
          new RpcClient(intended.url(), new ObjectMapper(), EarlyConnectionTest::noTls, early);
      assertThat(call(client)).isEqualTo(1);
      assertThat(intended.answered).containsExactly(1);
      early.close();
      assertThat(other.answered).as("no request went to the other server").isEmpty();
    }
  }

  @Test
  void aConnectionLeftUnusedTooLongIsClosedAndNotUsed() throws Exception {
    try (var server = new CountingServer()) {
      var early =
          EarlyConnection.open(
              server.url(), EarlyConnectionTest::noTls, TIMEOUT, Duration.ofMillis(50));
      assertThat(early.awaitFailed()).isFalse();
      Thread.sleep(200); // a user at a password prompt; the server may have closed it by now
      var client =
          new RpcClient(server.url(), new ObjectMapper(), EarlyConnectionTest::noTls, early);
      assertThat(call(client)).as("a connection of its own").isEqualTo(2);
      assertThat(server.answered).containsExactly(2);
    }
  }

  @Test
  void aFailedEarlyConnectionOnlyMeansTheCallConnectsAgain() throws Exception {
    int port;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    var early = EarlyConnection.open(url, EarlyConnectionTest::noTls, TIMEOUT);
    // Nothing listens yet: the early connection is refused. Then a server comes up there.
    assertThat(early.awaitFailed()).isTrue();
    try (var server = new CountingServer(port)) {
      var client = new RpcClient(url, new ObjectMapper(), EarlyConnectionTest::noTls, early);
      assertThat(call(client)).isEqualTo(1);
    }
  }
}
