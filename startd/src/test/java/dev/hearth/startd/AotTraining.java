package dev.hearth.startd;

import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.PackageApi;
import dev.hearth.api.RootApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Trains the daemon's AOT cache at build time (the {@code package} phase, after the jar is shaded):
 * sets a server up, then starts {@code target/startd.jar} on it with production's JVM flags and
 * {@code -XX:AOTCacheOutput}, takes it through what every start does and the local calls scripts
 * and services make, and stops it, which writes {@code target/startd.aot} beside the jar. The
 * launcher ({@code scripts/run.sh}) passes {@code -XX:AOTCache} when the file is there; without it
 * the daemon starts as before, only slower.
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
    }
    // Not HTTPS, a subscription or the UI's WebSocket: their classes (TLS on both sides, Netty's
    // HTTP/2 codec, Bouncy Castle's signing for a certificate, Jetty's WebSocket; about 2,000)
    // would be loaded at every start, 20 MiB of the cache, while a daemon mostly runs without a
    // browser attached. The first HTTPS connection after a start loads them from the jar.
  }
}
