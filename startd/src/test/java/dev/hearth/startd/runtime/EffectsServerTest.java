package dev.hearth.startd.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcTree;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The effects socket: both connection styles, concurrency, and what a bad request gets. */
class EffectsServerTest {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  record Echo(String message) {}

  private final CountDownLatch slowMayFinish = new CountDownLatch(1);

  private RpcTree tree() {
    return RpcTree.builder(MAPPER)
        .bind(MethodSpec.of("echo", Echo.class, String.class, "echo"), (ctx, p) -> p.message())
        .bind(
            MethodSpec.of("slow", Echo.class, String.class, "waits"),
            (ctx, p) -> {
              slowMayFinish.await(10, TimeUnit.SECONDS);
              return "slow " + p.message();
            })
        .build();
  }

  private EffectsServer serve(Path dir) {
    int uid = (int) (long) unixId("uid");
    return EffectsServer.listen(dir.resolve("host.sock"), uid, uid, tree(), MAPPER, "demo");
  }

  private static long unixId(String which) {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + which)).longValue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SocketChannel connect(Path dir) throws Exception {
    return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("host.sock")));
  }

  @Test
  void oneCallPerConnectionGetsItsReplyLine(@TempDir Path dir) throws Exception {
    try (EffectsServer server = serve(dir);
        SocketChannel c = connect(dir)) {
      OutputStream out = Channels.newOutputStream(c);
      out.write(
          "{\"id\":0,\"method\":\"echo\",\"params\":{\"message\":\"hi\",\"extra\":1}}\n"
              .getBytes());
      var in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
      JsonNode reply = MAPPER.readTree(in.readLine());
      assertThat(reply.get("id").asInt()).isZero();
      assertThat(reply.get("result").asText()).isEqualTo("hi");
    }
  }

  @Test
  void manyCallsOnOneConnectionAnswerOutOfOrderAndNotificationsGetNothing(@TempDir Path dir)
      throws Exception {
    try (EffectsServer server = serve(dir);
        SocketChannel c = connect(dir)) {
      OutputStream out = Channels.newOutputStream(c);
      var in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
      out.write(
          "{\"id\":\"a\",\"method\":\"slow\",\"params\":{\"message\":\"first\"}}\n".getBytes());
      out.write("{\"method\":\"echo\",\"params\":{\"message\":\"notified\"}}\n".getBytes());
      out.write(
          "{\"id\":\"b\",\"method\":\"echo\",\"params\":{\"message\":\"second\"}}\n".getBytes());
      JsonNode first = MAPPER.readTree(in.readLine());
      assertThat(first.get("id").asText()).isEqualTo("b"); // the slow call did not block it
      slowMayFinish.countDown();
      JsonNode second = MAPPER.readTree(in.readLine());
      assertThat(second.get("id").asText()).isEqualTo("a");
      assertThat(second.get("result").asText()).isEqualTo("slow first");
      out.write(
          "{\"id\":\"c\",\"method\":\"echo\",\"params\":{\"message\":\"last\"}}\n".getBytes());
      assertThat(MAPPER.readTree(in.readLine()).get("id").asText()).isEqualTo("c");
    }
  }

  @Test
  void badRequestsGetErrorsAndTheConnectionStaysUsable(@TempDir Path dir) throws Exception {
    try (EffectsServer server = serve(dir);
        SocketChannel c = connect(dir)) {
      OutputStream out = Channels.newOutputStream(c);
      var in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
      out.write("{\"id\":1,\"method\":\"no-such-effect\",\"params\":{}}\n".getBytes());
      out.write("{\"id\":2,\"method\":\"echo\",\"params\":{\"message\":7}}\n".getBytes());
      out.write("not json\n".getBytes());
      out.write("{\"id\":3,\"method\":\"echo\",\"params\":{\"message\":\"ok\"}}\n".getBytes());
      // Replies come in the order calls finish, not the order they were sent: match them by id.
      Set<Integer> codes = new HashSet<>();
      java.util.Map<Integer, String> results = new java.util.HashMap<>();
      for (int i = 0; i < 4; i++) {
        JsonNode r = MAPPER.readTree(in.readLine());
        if (r.has("error")) {
          codes.add(r.get("error").get("code").asInt());
        } else {
          results.put(r.get("id").asInt(), r.get("result").asText());
        }
      }
      assertThat(codes).contains(-32601, -32700);
      assertThat(results).containsEntry(3, "ok");
    }
  }

  @Test
  void theServerClosesItsEndOnceTheCallerIsDoneAndTheRepliesAreWritten(@TempDir Path dir)
      throws Exception {
    try (EffectsServer server = serve(dir)) {
      long before = openDescriptors();
      for (int i = 0; i < 300; i++) {
        try (SocketChannel c = connect(dir)) {
          Channels.newOutputStream(c)
              .write("{\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\"x\"}}\n".getBytes());
          var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c)));
          assertThat(in.readLine()).contains("\"result\":\"x\"");
        }
      }
      // A runtime makes a connection per effect: a descriptor kept for each would run out.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (openDescriptors() > before + 20 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(openDescriptors()).isLessThan(before + 20);

      // A caller that stops sending but still reads gets its reply before the server closes.
      try (SocketChannel c = connect(dir)) {
        Channels.newOutputStream(c)
            .write("{\"id\":2,\"method\":\"slow\",\"params\":{\"message\":\"y\"}}\n".getBytes());
        c.shutdownOutput();
        slowMayFinish.countDown();
        var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c)));
        assertThat(in.readLine()).contains("slow y");
        assertThat(in.readLine()).isNull();
      }
    }
  }

  /** A tree whose {@code hold} waits for {@code released}, counting how many wait at once. */
  private final java.util.concurrent.atomic.AtomicInteger holding =
      new java.util.concurrent.atomic.AtomicInteger();

  private final java.util.concurrent.atomic.AtomicInteger mostHolding =
      new java.util.concurrent.atomic.AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean interrupted =
      new java.util.concurrent.atomic.AtomicBoolean();

  private RpcTree holdingTree(Path dir) {
    return RpcTree.builder(MAPPER)
        .bind(MethodSpec.of("echo", Echo.class, String.class, "echo"), (ctx, p) -> p.message())
        .bind(
            MethodSpec.of("hold", Echo.class, String.class, "waits for the test"),
            (ctx, p) -> {
              mostHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
              try {
                released.await();
              } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
              } finally {
                holding.decrementAndGet();
              }
              return p.message();
            })
        .bind(
            MethodSpec.of("nested", Echo.class, String.class, "calls echo on a new connection"),
            (ctx, p) -> {
              try (SocketChannel c = connect(dir)) {
                Channels.newOutputStream(c)
                    .write(
                        ("{\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\""
                                + p.message()
                                + "\"}}\n")
                            .getBytes());
                var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c)));
                return "nested " + MAPPER.readTree(in.readLine()).get("result").asText();
              }
            })
        .build();
  }

  private EffectsServer serveLimited(Path dir, int inFlight) {
    int uid = (int) (long) unixId("uid");
    return EffectsServer.listen(
        dir.resolve("host.sock"),
        uid,
        uid,
        holdingTree(dir),
        MAPPER,
        "demo",
        new EffectsServer.Limits(8, inFlight, EffectsServer.MAX_REQUEST_BYTES));
  }

  @Test
  void noMoreRequestsAreAnsweredAtOnceThanTheLimitAndTheRestWaitTheirTurn(@TempDir Path dir)
      throws Exception {
    try (EffectsServer server = serveLimited(dir, 2);
        SocketChannel c = connect(dir)) {
      OutputStream out = Channels.newOutputStream(c);
      for (int i = 0; i < 10; i++) {
        out.write(
            ("{\"id\":" + i + ",\"method\":\"hold\",\"params\":{\"message\":\"m\"}}\n").getBytes());
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> holding.get() == 2);
      released.countDown();
      var in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        ids.add(MAPPER.readTree(in.readLine()).get("id").asInt());
      }
      assertThat(ids).hasSize(10);
      assertThat(mostHolding.get()).isEqualTo(2);
    }
  }

  @Test
  void anEffectMayCallBackIntoTheSameServerWhileItHoldsASlot(@TempDir Path dir) throws Exception {
    try (EffectsServer server = serveLimited(dir, 2);
        SocketChannel c = connect(dir)) {
      Channels.newOutputStream(c)
          .write("{\"id\":1,\"method\":\"nested\",\"params\":{\"message\":\"x\"}}\n".getBytes());
      var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c)));
      assertThat(MAPPER.readTree(in.readLine()).get("result").asText()).isEqualTo("nested x");
    }
  }

  @Test
  void closingInterruptsEffectsStillRunningAndWaitsForThem(@TempDir Path dir) throws Exception {
    EffectsServer server = serveLimited(dir, 4);
    try (SocketChannel c = connect(dir)) {
      Channels.newOutputStream(c)
          .write("{\"id\":1,\"method\":\"hold\",\"params\":{\"message\":\"m\"}}\n".getBytes());
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> holding.get() == 1);
      server.close();
      assertThat(interrupted).isTrue(); // close returned only after the effect ended
      assertThat(holding.get()).isZero();
    }
  }

  private static long openDescriptors() throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void theSocketIsOnlyForItsOwner(@TempDir Path dir) throws Exception {
    try (EffectsServer server = serve(dir)) {
      var perms = Files.getPosixFilePermissions(dir.resolve("host.sock"));
      assertThat(perms.toString()).doesNotContain("OTHERS");
    }
    assertThat(dir.resolve("host.sock")).doesNotExist();
  }
}
