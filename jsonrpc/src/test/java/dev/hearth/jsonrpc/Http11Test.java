package dev.hearth.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The CLI's HTTP/1.1 client against responses written byte by byte, sane and not. */
class Http11Test {
  private static Http11.Response parse(String raw) throws IOException {
    return Http11.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void aBodyEndsWhereItsLengthSays() throws Exception {
    var r =
        parse(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n"
                + "helloTRAILING");
    assertThat(r.status()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(r.all("Set-Cookie")).containsExactly("a=1", "b=2");
  }

  @Test
  void aChunkedBodyIsJoinedAndItsTrailersSkipped() throws Exception {
    var r =
        parse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\nX-Trailer: t\r\n\r\n");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("abcdefg");
  }

  @Test
  void anInterimResponseIsSkipped() throws Exception {
    var r =
        parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void aBodyLongerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
    // However the server frames it: a length that says so, chunks that add up, or no end at all.
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            return len;
          }
        };
    String[] heads = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\n",
      "HTTP/1.0 200 OK\r\n\r\n"
    };
    for (String head : heads) {
      var in =
          new java.io.SequenceInputStream(
              new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)), endless);
      assertThatThrownBy(() -> Http11.read(in, 1024))
          .isInstanceOf(Http11.TooLong.class)
          .hasMessage("the answer is longer than 1024 bytes");
    }
    assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfour").body()).hasSize(4);
    assertThat(
            Http11.read(
                    new ByteArrayInputStream(
                        "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfour"
                            .getBytes(StandardCharsets.ISO_8859_1)),
                    4)
                .body())
        .hasSize(4);
  }

  @Test
  void aBodyWithoutLengthRunsToTheEnd() throws Exception {
    assertThat(new String(parse("HTTP/1.0 200 OK\n\nall of it").body(), StandardCharsets.UTF_8))
        .isEqualTo("all of it");
  }

  @Test
  void aTruncatedBodyIsAnError() {
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("5 of 10");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nab"))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void anEndlessHeadIsRefusedWithoutReadingItAll() {
    InputStream endless =
        new InputStream() {
          long served;

          @Override
          public int read() {
            served++;
            return served < 20 ? "HTTP/1.1 200 OK\r\nX: ".charAt((int) served - 1) : 'a';
          }
        };
    assertThatThrownBy(() -> Http11.read(endless))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer than " + Http11.MAX_HEAD);
  }

  @Test
  void malformedResponsesAreErrors() {
    assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n\r\n"))
        .hasMessageContaining("not an HTTP/1.1 response");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"))
        .hasMessageContaining("bad Content-Length");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        .hasMessageContaining("bad chunk size");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"))
        .hasMessageContaining("malformed header");
  }

  @Test
  void aCallSendsOneRequestAndReadsTheResultCookiesAndSequence() throws Exception {
    try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> request =
          CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
              var head = new StringBuilder();
              InputStream in = s.getInputStream();
              while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
              }
              int length =
                  Integer.parseInt(
                      head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
              String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
              String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"hi\"}";
              s.getOutputStream()
                  .write(
                      ("HTTP/1.1 200 OK\r\nX-Patch-Sequence: 42\r\nSet-Cookie: session=abc;"
                              + " HttpOnly\r\nTransfer-Encoding: chunked\r\n\r\n"
                              + Integer.toHexString(answer.length())
                              + "\r\n"
                              + answer
                              + "\r\n0\r\n\r\n")
                          .getBytes(StandardCharsets.UTF_8));
              return head + body;
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      var client =
          new RpcClient(
              URI.create("http://127.0.0.1:" + server.getLocalPort()), new ObjectMapper());
      client.setCookie("local", "cookie");
      var params = new ObjectMapper().createObjectNode().put("message", "hi");
      assertThat(client.call("echo", params).asText()).isEqualTo("hi");
      assertThat(client.patchSequence()).isEqualTo(42);
      assertThat(client.cookie("session")).contains("abc");
      assertThat(request.join())
          .startsWith("POST /rpc/v1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort())
          .contains("Cookie: local=cookie\r\n")
          .doesNotContain("Connection:")
          .endsWith("\"method\":\"echo\",\"params\":{\"message\":\"hi\"}}");
    }
  }

  @Test
  void aServerThatIsNotThereIsANetworkError() throws Exception {
    int port;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var client = new RpcClient(URI.create("http://127.0.0.1:" + port), new ObjectMapper());
    assertThatThrownBy(() -> client.call("echo", new ObjectMapper().createObjectNode()))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK))
        .hasMessageContaining("cannot reach http://127.0.0.1:" + port);
  }

  /**
   * A server on loopback that answers every request on a connection with {@code echo}'s result,
   * counting connections; after {@code perConnection} responses it closes the connection, without
   * saying so unless {@code announceClose}.
   */
  private static final class CountingServer implements AutoCloseable {
    final ServerSocket socket;
    final java.util.concurrent.atomic.AtomicInteger connections =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();

    CountingServer(int perConnection, String extraHeader) throws IOException {
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            while (!socket.isClosed()) {
              try (Socket s = socket.accept()) {
                connections.incrementAndGet();
                InputStream in = s.getInputStream();
                for (int i = 0; i < perConnection; i++) {
                  var head = new StringBuilder();
                  while (!head.toString().endsWith("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                      break;
                    }
                    head.append((char) c);
                  }
                  if (!head.toString().endsWith("\r\n\r\n")) {
                    break; // the client closed it
                  }
                  int length =
                      Integer.parseInt(
                          head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                  in.readNBytes(length);
                  requests.incrementAndGet();
                  String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"hi\"}";
                  s.getOutputStream()
                      .write(
                          ("HTTP/1.1 200 OK\r\n"
                                  + extraHeader
                                  + "Content-Length: "
                                  + answer.length()
                                  + "\r\n\r\n"
                                  + answer)
                              .getBytes(StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // closed
              }
            }
          });
    }

    RpcClient client() {
      return new RpcClient(
          URI.create("http://127.0.0.1:" + socket.getLocalPort()), new ObjectMapper());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void callEchoTimes(RpcClient client, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(client.call("echo", new ObjectMapper().createObjectNode()).asText())
          .isEqualTo("hi");
    }
  }

  @Test
  void consecutiveCallsShareOneConnection() throws Exception {
    try (var server = new CountingServer(100, "");
        var client = server.client()) {
      callEchoTimes(client, 3);
      assertThat(server.requests).hasValue(3);
      assertThat(server.connections).hasValue(1);
    }
  }

  @Test
  void aConnectionTheServerClosedBetweenCallsIsReplacedAndTheCallSentOnce() throws Exception {
    try (var server = new CountingServer(1, "");
        var client = server.client()) {
      callEchoTimes(client, 1);
      // The server closes silently after each response; give its FIN time to arrive.
      Thread.sleep(100);
      callEchoTimes(client, 2);
      assertThat(server.requests).hasValue(3);
      assertThat(server.connections).hasValue(3);
    }
  }

  @Test
  void aServerThatSaysCloseGetsANewConnectionForEachCall() throws Exception {
    try (var server = new CountingServer(1, "Connection: close\r\n");
        var client = server.client()) {
      callEchoTimes(client, 3);
      assertThat(server.requests).hasValue(3);
      assertThat(server.connections).hasValue(3);
    }
  }

  @Test
  void aKeptConnectionIsNotUsedForAnotherServer() throws Exception {
    try (var one = new CountingServer(100, "");
        var two = new CountingServer(100, "")) {
      var http = new Http11(RpcClient::defaultTls, Duration.ofSeconds(5));
      var body = new Http11.Body.Bytes("{}".getBytes(StandardCharsets.UTF_8));
      for (var server : List.of(one, two, one)) {
        var url = URI.create("http://127.0.0.1:" + server.socket.getLocalPort() + "/rpc/v1");
        assertThat(http.post(url, List.of(), body, Duration.ofSeconds(5)).status()).isEqualTo(200);
      }
      http.close();
      assertThat(one.requests).hasValue(2);
      assertThat(one.connections).hasValue(2);
      assertThat(two.requests).hasValue(1);
      assertThat(two.connections).hasValue(1);
    }
  }
}
