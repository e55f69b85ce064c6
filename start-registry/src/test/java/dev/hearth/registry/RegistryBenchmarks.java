package dev.hearth.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hearth.api.RegistryApi;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.registry.db.RegistryDb;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench}'s registry figures, beside their targets (issue 14): {@code package.index}
 * with 500 packages on loopback (p50, p99 of 300 calls after 50 warm-up), and a 1 GiB package file
 * served to {@code curl} and to a Java reader written as startd's download loop (HttpURLConnection,
 * 256 KiB reads into a FileChannel), best of three each, in the same run.
 */
public final class RegistryBenchmarks {
  private RegistryBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("registry-bench");
    try (var reg = new RegistryFixture(dir)) {
      index(reg);
      download(reg, dir);
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void index(RegistryFixture reg) throws Exception {
    // 500 packages of two versions each, written straight into the index (as published ones).
    Path sample = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
    try (RpcClient admin = reg.client(reg.adminKey)) {
      RegistryFixture.publish(admin, sample, reg.adminKey);
    }
    RegistryDb db = reg.registry.database();
    var one = db.read(RegistryDb.pkg("hello-world"), null);
    var info = one.versions().get("1.0.0:0");
    db.mutate(tx -> {
      for (int i = 0; i < 500; i++) {
        Map<String, RegistryApi.PackageVersionInfo> versions = new HashMap<>();
        versions.put("1.0.0:0", info);
        versions.put("1.1.0:0", info);
        tx.put(
            RegistryDb.pkg("package-" + i),
            new RegistryApi.PackageInfo(one.authorized(), versions));
      }
    });
    try (RpcClient anyone = reg.anonymous()) {
      var empty = JsonNodeFactory.instance.objectNode();
      for (int i = 0; i < 50; i++) {
        anyone.call("package.index", empty);
      }
      long[] ms = new long[300];
      int bytes = 0;
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        bytes = anyone.call("package.index", empty).size();
        ms[i] = System.nanoTime() - t0;
      }
      Arrays.sort(ms);
      System.out.printf(
          "registry package.index, 501 packages: p50 %.1f ms, p99 %.1f ms (target p99 <= 50 ms)%n",
          ms[ms.length / 2] / 1e6, ms[(int) (ms.length * 0.99)] / 1e6);
      if (bytes == 0) {
        throw new IllegalStateException("empty index");
      }
    }
  }

  private static void download(RegistryFixture reg, Path dir) throws Exception {
    String name = "ab".repeat(32) + ".s9pk";
    Path blob = dir.resolve("data/packages").resolve(name);
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(1).nextBytes(chunk);
    try (FileChannel out =
        FileChannel.open(blob, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (int i = 0; i < 1024; i++) {
        out.write(ByteBuffer.wrap(chunk));
      }
    }
    String url = reg.url + "/blob/" + name;
    List<Double> curl = new ArrayList<>();
    List<Double> java = new ArrayList<>();
    Path into = dir.resolve("download");
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder("curl", "-sS", "-o", into.toString(), url).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("curl failed");
      }
      curl.add(1024.0 / ((System.nanoTime() - t0) / 1e9));
      t0 = System.nanoTime();
      javaDownload(url, into);
      java.add(1024.0 / ((System.nanoTime() - t0) / 1e9));
    }
    double c = curl.stream().mapToDouble(d -> d).max().orElse(0);
    double j = java.stream().mapToDouble(d -> d).max().orElse(0);
    System.out.printf(
        "registry 1 GiB download on loopback: curl %.0f MiB/s, startd's download loop %.0f MiB/s ="
            + " %.2fx curl (target >= 0.8x)%n",
        c, j, j / c);
  }

  /** The shape of startd's Download: HttpURLConnection, 256 KiB reads, positional writes. */
  private static void javaDownload(String url, Path into) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    try (InputStream in = c.getInputStream();
        FileChannel out =
            FileChannel.open(
                into,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[1 << 18];
      long have = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(ByteBuffer.wrap(buffer, 0, n), have);
        have += n;
      }
    }
  }
}
