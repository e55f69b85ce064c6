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
          .contains("Connection: close\r\n")
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
}
