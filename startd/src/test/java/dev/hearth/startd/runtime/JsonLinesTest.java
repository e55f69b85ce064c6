package dev.hearth.startd.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
  private SocketChannel peer;
  private JsonLines lines;

  @BeforeEach
  void connect() throws IOException {
    var address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
    try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(address);
      peer = SocketChannel.open(address);
      lines = new JsonLines(server.accept(), new ObjectMapper());
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

  private List<String> readAll() throws IOException {
    List<String> out = new ArrayList<>();
    byte[] line;
    while ((line = lines.readLine()) != null) {
      out.add(new String(line, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void linesArrivingInPiecesAndTogetherComeOutWhole() throws IOException {
    send("{\"a\":");
    send("1}\n{\"b\":2}\n{\"c\"");
    send(":3}\n\nlast without newline");
    peer.shutdownOutput();
    assertThat(readAll())
        .containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "", "last without newline");
  }

  @Test
  void linesLongerThanTheBufferAndAcrossItsEdge() throws IOException {
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
  }

  @Test
  void anEmptyStreamHasNoLine() throws IOException {
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
