package dev.hearth.startd.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line framing over a real Unix socket: lines cut anywhere, lines longer than the buffer. */
class JsonLinesTest {
  @TempDir Path dir;
  private static final int MAX = 64 * 1024;
  private SocketChannel peer;
  private JsonLines lines;
  private final ByteBudget budget = new ByteBudget(256 * 1024);

  @BeforeEach
  void connect() throws IOException {
    var address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
    try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(address);
      peer = SocketChannel.open(address);
      lines = new JsonLines(server.accept(), new ObjectMapper(), MAX, budget);
    }
  }

  @AfterEach
  void close() throws IOException {
    lines.close();
    peer.close();
  }

  private void send(String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      peer.write(b);
    }
  }

  private List<String> readAll() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    byte[] line;
    while ((line = lines.readLine()) != null) {
      out.add(new String(line, StandardCharsets.UTF_8));
      budget.release(line.length);
    }
    return out;
  }

  @Test
  void linesArrivingInPiecesAndTogetherComeOutWhole() throws Exception {
    send("{\"a\":");
    send("1}\n{\"b\":2}\n{\"c\"");
    send(":3}\n\nlast without newline");
    peer.shutdownOutput();
    assertThat(readAll())
        .containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "", "last without newline");
  }

  @Test
  void linesLongerThanTheBufferAndAcrossItsEdge() throws Exception {
    String big = "x".repeat(10_000);
    String edge = "y".repeat(4_090); // ends near the 4 KiB buffer's end, after a short line
    Thread writer =
        Thread.ofVirtual()
            .start(() -> {
              try {
                send("short\n" + edge + "\n" + big + "\n" + big + big);
                peer.shutdownOutput();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    assertThat(readAll()).containsExactly("short", edge, big, big + big);
    writer.interrupt();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedAndItsBytesAreGivenBack() throws Exception {
    Thread writer =
        Thread.ofVirtual()
            .start(() -> {
              try {
                send("x".repeat(MAX + 1) + "\n");
              } catch (IOException e) {
                // the reader stopped reading
              }
            });
    assertThatThrownBy(lines::readLine)
        .isInstanceOf(JsonLines.LineTooLong.class)
        .hasMessageContaining(Integer.toString(MAX));
    assertThat(budget.used()).isZero();
    writer.interrupt();
  }

  @Test
  void aLineHoldsItsBytesFromTheBudgetUntilReleasedAndAnExhaustedBudgetWaits() throws Exception {
    var small = new ByteBudget(10);
    try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      var address = UnixDomainSocketAddress.of(dir.resolve("b.sock"));
      server.bind(address);
      try (var client = SocketChannel.open(address);
          var framed = new JsonLines(server.accept(), new ObjectMapper(), MAX, small)) {
        client.write(ByteBuffer.wrap("12345678\nabcd\n".getBytes(StandardCharsets.UTF_8)));
        byte[] first = framed.readLine();
        assertThat(first).hasSize(8);
        assertThat(small.used()).isEqualTo(8);
        var second = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread reader =
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    second.complete(framed.readLine());
                  } catch (Exception e) {
                    second.completeExceptionally(e);
                  }
                });
        // 4 more bytes do not fit in what is left (2): the reader waits for the first to go.
        org.awaitility.Awaitility.await().until(() -> reader.getState() == Thread.State.WAITING);
        assertThat(second).isNotDone();
        small.release(first.length);
        assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).hasSize(4);
        assertThat(small.used()).isEqualTo(4);
      }
    }
  }

  @Test
  void anEmptyStreamHasNoLine() throws Exception {
    peer.shutdownOutput();
    assertThat(lines.readLine()).isNull();
  }

  @Test
  void aWrittenLineEndsWithOneNewline() throws IOException {
    lines.write("{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    lines.write(new ObjectMapper().createObjectNode().put("y", 2));
    lines.close();
    ByteBuffer in = ByteBuffer.allocate(100);
    while (peer.read(in) >= 0) {
      // until the end
    }
    assertThat(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8))
        .isEqualTo("{\"x\":1}\n{\"y\":2}\n");
  }
}
