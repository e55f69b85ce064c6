package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.RootApi;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken clients get the spec's error or are cut off; everyone else is served. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  StartdProcess startd;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    startd = StartdProcess.start(dir);
    Servers.setUp(startd, "Bad Input");
  }

  @AfterAll
  void tearDown() throws Exception {
    startd.close();
  }

  private JsonNode post(String body) throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      var r =
          http.send(
              HttpRequest.newBuilder(startd.url().resolve("/rpc/v1"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return StartdProcess.MAPPER.readTree(r.body());
    }
  }

  private void stillServes() throws Exception {
    try (RpcClient client = startd.client()) {
      assertThat(client.call(RootApi.ECHO, new RootApi.EchoParams("still here")))
          .isEqualTo("still here");
    }
  }

  @Test
  void malformedJsonIsAParseError() throws Exception {
    JsonNode r = post("{\"id\":1,\"method\":\"echo\",");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(r.get("id").isNull()).isTrue();
    assertThat(post("\u0000\u0001binary").at("/error/code").asInt()).isEqualTo(-32700);
  }

  @Test
  void unknownMethodsAndWrongParamTypesGetTheirCodes() throws Exception {
    assertThat(
            post("{\"id\":1,\"method\":\"package.nothing\",\"params\":{}}")
                .at("/error/code")
                .asInt())
        .isEqualTo(-32601);
    assertThat(
            post("{\"id\":2,\"method\":\"echo\",\"params\":{\"message\":{\"x\":1}}}")
                .at("/error/code")
                .asInt())
        .isEqualTo(-32602);
    assertThat(post("{\"id\":3,\"method\":\"echo\",\"params\":[1,2]}").at("/error/code").asInt())
        .isEqualTo(-32602);
    assertThat(post("[]").at("/error/code").asInt()).isEqualTo(-32600);
  }

  @Test
  void aHugeBodyIsRefusedWithoutBeingRead() throws Exception {
    // Only the headers are sent: the answer must come without the server waiting for the body.
    // (A client still writing the body when the server closes may see a reset instead of the
    // answer, which is why this is not done with an HTTP client.)
    URI url = startd.url();
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              ("POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: "
                      + (8 << 20)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(statusLine).startsWith("HTTP/1.1 413 ");
    }
    stillServes();
  }

  @Test
  void aWebSocketClientSendingMoreThanTheServerReadsIsClosedWith1008() throws Exception {
    try (RpcClient local = startd.localClient()) {
      // A database stream: its job never reads what the client sends.
      DbApi.Subscribed sub = local.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      try (Continuation stream = local.continuation(sub.guid())) {
        byte[] chunk = new byte[32 * 1024];
        for (int i = 0; i < 40 && stream.awaitClose(Duration.ZERO).isEmpty(); i++) {
          try {
            stream.sendBinary(chunk);
          } catch (StartException closedMeanwhile) {
            break;
          }
        }
        assertThat(stream.awaitClose(Duration.ofSeconds(10)))
            .hasValueSatisfying(closed -> assertThat(closed.code()).isEqualTo(1008));
      }
    }
    stillServes();
  }

  @Test
  void aSlowClientAndAWebSocketThatNeverReadsAreCutOffWhileOthersAreServed() throws Exception {
    URI url = startd.url();
    try (Socket slow = new Socket(url.getHost(), url.getPort());
        Socket deaf = new Socket();
        RpcClient local = startd.localClient()) {
      deaf.setReceiveBufferSize(4096); // before connecting, so the window stays small
      deaf.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()));
      // A request that never finishes.
      OutputStream slowOut = slow.getOutputStream();
      slowOut.write(
          ("POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000\r\n\r\n{\"id\":1,")
              .getBytes(StandardCharsets.US_ASCII));
      slowOut.flush();

      // A database stream whose client never reads a byte after the handshake.
      DbApi.Subscribed sub = local.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(null));
      OutputStream deafOut = deaf.getOutputStream();
      deafOut.write(
          ("GET /ws/rpc/"
                  + sub.guid()
                  + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                  + Base64.getEncoder().encodeToString(new byte[16])
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      deafOut.flush();
      String message = "x".repeat(16_000);
      // More than the kernel's socket buffers hold, so the server's writes must stall.
      for (int i = 0; i < 1000; i++) {
        local.call(
            NotificationApi.CREATE,
            new NotificationApi.CreateParams(null, NotificationApi.Level.info, "n" + i, message));
      }
      stillServes();

      // Both are cut off by the server. Reading the deaf socket would let the server write again,
      // so wait for the server to say it dropped the stream, then read it to the end.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> startd.output().stream().anyMatch(l -> l.contains("dropping a stream")));
      assertThat(drainsToEof(deaf, Duration.ofSeconds(60))).as("deaf WebSocket cut off").isTrue();
      assertThat(drainsToEof(slow, Duration.ofSeconds(60))).as("slow client cut off").isTrue();
    }
    stillServes();
  }

  /** Reads until EOF or a connection reset; false if the connection stays open past the limit. */
  private static boolean drainsToEof(Socket socket, Duration limit) throws Exception {
    socket.setSoTimeout(1000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1 << 16];
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // nothing yet
      } catch (java.net.SocketException e) {
        return true; // reset by the server
      }
    }
    return false;
  }
}
