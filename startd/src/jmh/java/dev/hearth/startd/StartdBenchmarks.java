package dev.hearth.startd;

import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.jsonrpc.RpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * startd's figures (issue "The daemon's core"), measured on the real daemon jar as {@code make run}
 * starts it ({@link StartdFootprint#jvm}); its start and idle memory are {@link StartdFootprint}'s:
 *
 * <ul>
 *   <li>{@code echo} calls per second over HTTP keep-alive: {@code wrk -t2 -c16 -d10s} (anchors.md
 *       §1's load generator), after a 3 s warm-up;
 *   <li>fan-out: 100 WebSocket {@code db.subscribe} clients, 200 notifications 20 ms apart, the
 *       latency from the call to each subscriber's frame (20 000 samples).
 * </ul>
 *
 * Target: fan-out p99 ≤ 50 ms. Run with {@code make bench}.
 */
public final class StartdBenchmarks {
  private static final int SUBSCRIBERS = 100;
  private static final int EVENTS = 200;
  private static final int WARM_UP_EVENTS = 100; // not measured: the JIT compiles the path first

  private StartdBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "bench-startd");
    List<String> jvm = StartdFootprint.jvm();
    Path server = work.resolve("server");
    try (var first = StartdProcess.start(server, jvm)) {
      Servers.setUp(first, "Bench");
    }

    double echoRate;
    List<Double> fanOut;
    try (var startd = StartdProcess.start(server, jvm)) {
      echoRate = echoPerSecond(startd.url(), work);
      fanOut = fanOut(startd);
    }

    System.out.println();
    System.out.println(
        "startd figures (production JVM flags and AOT cache, set-up server, loopback)");
    System.out.printf(
        Locale.ROOT, "  echo over keep-alive    %,9.0f calls/s (wrk -t2 -c16 -d10s)%n", echoRate);
    System.out.printf(
        Locale.ROOT,
        "  fan-out to %d sockets   p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms (%d samples)  target p99 <= 50 ms%n",
        SUBSCRIBERS,
        percentile(fanOut, 50),
        percentile(fanOut, 99),
        percentile(fanOut, 100),
        fanOut.size());
  }

  private static double echoPerSecond(URI url, Path work) throws Exception {
    Path script = work.resolve("echo.lua");
    Files.writeString(
        script,
        """
        wrk.method = "POST"
        wrk.body = '{"jsonrpc":"2.0","id":1,"method":"echo","params":{"message":"hi"}}'
        wrk.headers["Content-Type"] = "application/json"
        """);
    String target = url.resolve("/rpc/v1").toString();
    run("wrk", "-t2", "-c16", "-d3s", "-s", script.toString(), target); // warm-up
    String out = run("wrk", "-t2", "-c16", "-d10s", "-s", script.toString(), target);
    Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    if (!m.find() || out.contains("Non-2xx")) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(120, TimeUnit.SECONDS);
    return out;
  }

  private static List<Double> fanOut(StartdProcess startd) throws Exception {
    var sent = new ConcurrentHashMap<String, Long>(); // notification title -> call start, ns
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    var received = new CountDownLatch(SUBSCRIBERS * EVENTS);
    List<WebSocket> sockets = new ArrayList<>();
    try (var http = HttpClient.newHttpClient();
        RpcClient local = startd.localClient()) {
      for (int i = 0; i < SUBSCRIBERS; i++) {
        DbApi.Subscribed sub =
            local.call(DbApi.SUBSCRIBE, new DbApi.PointerParams("/public/notifications"));
        URI ws = URI.create("ws://" + startd.url().getRawAuthority() + "/ws/rpc/" + sub.guid());
        sockets.add(
            http.newWebSocketBuilder()
                .buildAsync(ws, listener(sent, latencies, received))
                .get(10, TimeUnit.SECONDS));
      }
      for (int e = 0; e < WARM_UP_EVENTS; e++) {
        local.call(
            NotificationApi.CREATE,
            new NotificationApi.CreateParams(null, NotificationApi.Level.info, "warm-up", "m"));
        Thread.sleep(20);
      }
      for (int e = 0; e < EVENTS; e++) {
        String title = "event-" + e;
        sent.put(title, System.nanoTime());
        local.call(
            NotificationApi.CREATE,
            new NotificationApi.CreateParams(null, NotificationApi.Level.info, title, "m"));
        Thread.sleep(20);
      }
      if (!received.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("missing frames: " + received.getCount());
      }
      for (WebSocket s : sockets) {
        s.abort();
      }
    }
    return latencies;
  }

  private static WebSocket.Listener listener(
      ConcurrentHashMap<String, Long> sent, List<Double> latencies, CountDownLatch received) {
    Pattern title = Pattern.compile("\"title\":\"(event-\\d+)\"");
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          long now = System.nanoTime();
          Matcher m = title.matcher(partial);
          if (m.find() && sent.containsKey(m.group(1))) {
            latencies.add((now - sent.get(m.group(1))) / 1e6);
            received.countDown();
          }
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }
    };
  }

  private static double percentile(List<Double> xs, double p) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.clamp(i, 0, sorted.size() - 1));
  }
}
