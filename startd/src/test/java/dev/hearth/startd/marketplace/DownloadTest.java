package dev.hearth.startd.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.hearth.error.StartException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download cut in the middle asks for the rest, and gives up after its patience. */
class DownloadTest {
  @TempDir Path dir;
  HttpServer server;
  byte[] file = new byte[3 << 20];
  final List<String> ranges = new CopyOnWriteArrayList<>();
  final AtomicInteger cuts = new AtomicInteger();
  volatile boolean dead;

  @BeforeEach
  void start() throws Exception {
    new Random(1).nextBytes(file);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/f",
        ex -> {
          String range = ex.getRequestHeaders().getFirst("Range");
          ranges.add(String.valueOf(range));
          if (dead) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
          }
          int from = range == null ? 0 : Integer.parseInt(range.replaceAll("[^0-9]", ""));
          ex.getResponseHeaders().add("ETag", "\"x\"");
          if (from > 0) {
            ex.getResponseHeaders()
                .add(
                    "Content-Range", "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
          }
          ex.sendResponseHeaders(from > 0 ? 206 : 200, file.length - from);
          var out = ex.getResponseBody();
          if (cuts.getAndDecrement() > 0) {
            out.write(file, from, 1 << 20);
            out.flush();
            ex.getHttpContext().getServer(); // the connection is dropped below, mid-answer
            throw new java.io.IOException("cut");
          }
          out.write(file, from, file.length - from);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/f";
  }

  @Test
  void aCutDownloadResumesWithARange() throws Exception {
    cuts.set(2);
    Path into = dir.resolve("f.part");
    new Download(Duration.ofSeconds(30), 1L << 30, Clock.systemUTC())
        .fetch(List.of(url()), into, (b, t) -> {});
    assertThat(Files.readAllBytes(into)).isEqualTo(file);
    assertThat(ranges.getFirst()).isEqualTo("null");
    assertThat(ranges.get(1)).isEqualTo("bytes=1048576-");
    assertThat(ranges.get(2)).isEqualTo("bytes=2097152-");
  }

  @Test
  void aHostileRegistrysFileUrlIsNeverOpened() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "host file");
    assertThatThrownBy(() ->
            new Download(Duration.ofSeconds(2), 1L << 30, Clock.systemUTC())
                .fetch(List.of(secret.toUri().toString()), dir.resolve("h.part"), (b, t) -> {}))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("no http(s) URL");
    assertThat(dir.resolve("h.part")).doesNotExist();
  }

  @Test
  void aRegistryGoneForGoodIsAClearError() {
    dead = true;
    assertThatThrownBy(() ->
            new Download(Duration.ofSeconds(2), 1L << 30, Clock.systemUTC())
                .fetch(List.of(url()), dir.resolve("g.part"), (b, t) -> {}))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("the download stopped at 0 bytes");
  }
}
