package dev.hearth.startd.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.Migrations;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that answers with more than the daemon should hold: an endless answer is refused after
 * its first bytes, and a name or icon too big for the public model is not kept.
 */
class HostileRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anEndlessAnswerIsRefusedWithoutBeingRead(@TempDir Path dir) throws Exception {
    AtomicLong sent = new AtomicLong();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Database db = Database.open(dir, JSON, Migrations.standard())) {
      Thread.ofVirtual().start(() -> flood(server, sent));
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
      var calls = new RegistryCalls(db, JSON, InstantSource.system(), "x86_64", 1L << 30);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> calls.call(url, "info", JSON.createObjectNode()))
          .isInstanceOf(StartException.class)
          .satisfies(e -> assertThat(((StartException) e).kind()).isEqualTo(ErrorKind.NETWORK))
          .hasMessageContaining("more than " + RegistryCalls.MAX_ANSWER_BYTES + " bytes");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
    // It stopped reading at the limit: the flood was cut with far less than its gigabyte sent (the
    // rest of what was sent sat in the kernel's socket buffers, a few MiB on loopback).
    assertThat(sent.get()).isLessThan(RegistryCalls.MAX_ANSWER_BYTES + (32L << 20));
  }

  /** Answers one request with a body of no stated end, for as long as it is read. */
  private static void flood(ServerSocket server, AtomicLong sent) {
    try (Socket s = server.accept()) {
      s.getInputStream().read(new byte[8192]);
      OutputStream out = s.getOutputStream();
      out.write(
          "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"result\":\""
              .getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'a');
      for (long i = 0; i < (1L << 30) / chunk.length; i++) {
        out.write(chunk);
        sent.addAndGet(chunk.length);
      }
    } catch (java.io.IOException e) {
      // the client hung up: what we expect
    }
  }

  @Test
  void aHugeIconOrNameIsNotKept() {
    ObjectNode info = JSON.createObjectNode();
    info.put("name", "N".repeat(10_000));
    info.put("icon", "data:image/png;base64," + "A".repeat(Marketplace.MAX_ICON));
    var r = Marketplace.entry("http://r.example/", info, false);
    assertThat(r.name()).hasSize(Marketplace.MAX_NAME);
    assertThat(r.icon()).isNull();

    info.put("icon", "https://tracker.example/pixel.png");
    assertThat(Marketplace.entry("http://r.example/", info, false).icon()).isNull();
    info.put("icon", "data:image/png;base64,AAAA");
    info.put("name", "  ");
    var small = Marketplace.entry("http://r.example/", info, true);
    assertThat(small.icon()).isEqualTo("data:image/png;base64,AAAA");
    assertThat(small.name()).isEqualTo("r.example");
    assertThat(small.isDefault()).isTrue();
  }
}
