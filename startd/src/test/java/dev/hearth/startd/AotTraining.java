package dev.hearth.startd;

import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.PackageApi;
import dev.hearth.api.RootApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trains the daemon's AOT cache at build time (the {@code package} phase, after the jar is shaded):
 * sets a server up, then starts {@code target/startd.jar} on it with production's JVM flags and
 * {@code -XX:AOTCacheOutput}, takes it through what every start does (the normal API, HTTPS, the
 * common calls, a subscription) and stops it, which writes {@code target/startd.aot} beside the
 * jar. The launcher ({@code scripts/run.sh}) passes {@code -XX:AOTCache} when the file is there;
 * without it the daemon starts as before, only slower.
 *
 * <p>Usage: {@code AotTraining <jvm.options> <cache>}.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    Path options = Path.of(args[0]);
    Path cache = Path.of(args[1]).toAbsolutePath();
    List<String> jvm =
        new ArrayList<>(Arrays.asList(Files.readString(options).trim().split("\\s+")));
    jvm.add("-XX:AOTCacheOutput=" + cache);
    jvm.add("-Xlog:aot=warning"); // the assembly's progress is not worth a build log
    Path dir = Files.createTempDirectory(Path.of("target"), "aot-training");
    Files.deleteIfExists(cache);
    long t0 = System.nanoTime();

    // Setup is not recorded: it happens once in a server's life, and every class in the cache is
    // loaded at every start (its memory is the daemon's). The recorded start is a set-up server's.
    try (var first = StartdProcess.start(dir, StartdProcess.TEST_JVM)) {
      Servers.setUp(first, "Training");
    }
    var startd = StartdProcess.start(dir, jvm);
    try {
      exercise(startd);
    } finally {
      // SIGTERM: the JVM writes the cache as it exits (a child JVM assembles it; allow time).
      startd.process().toHandle().destroy();
      if (!startd.process().waitFor(5, TimeUnit.MINUTES)) {
        startd.process().destroyForcibly();
      }
    }
    if (!Files.exists(cache)) {
      throw new IllegalStateException(
          "no AOT cache was written to " + cache + ":\n" + String.join("\n", startd.output()));
    }
    System.out.printf(
        "AOT cache %s (%d MiB) trained in %.1f s%n",
        cache, Files.size(cache) >> 20, (System.nanoTime() - t0) / 1e9);
  }

  private static void exercise(StartdProcess startd) throws Exception {
    try (RpcClient local = startd.localClient()) {
      for (int i = 0; i < 20; i++) {
        local.call(RootApi.ECHO, new RootApi.EchoParams("training"));
        local.call(ServerApi.TIME, Empty.INSTANCE);
        local.call(PackageApi.LIST, Empty.INSTANCE);
        local.call(NotificationApi.LIST, new NotificationApi.ListParams(null, null));
        local.call(DbApi.DUMP, new DbApi.PointerParams("/public"));
      }
      // Not a login: Argon2 is for the first call of a session only, and its classes would stay.
      local.call(ServerApi.DEVICE_INFO, Empty.INSTANCE);
      DbApi.Subscribed sub =
          local.call(DbApi.SUBSCRIBE, new DbApi.PointerParams("/public/notifications"));
      try (Continuation updates = local.continuation(sub.guid())) {
        local.call(
            NotificationApi.CREATE,
            new NotificationApi.CreateParams(null, NotificationApi.Level.info, "training", "m"));
        updates.close();
      }
    }
    https(startd.tlsUrl().resolve("/rpc/v1"));
  }

  /** One call over HTTPS, so that the TLS handshake's classes are in the cache too. */
  private static void https(URI url) throws Exception {
    var trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    try (var http = HttpClient.newBuilder().sslContext(tls).build()) {
      http.send(
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofSeconds(30))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\"hi\"}}"))
              .header("Content-Type", "application/json")
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }
}
