package dev.hearth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.RequestSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
  @TempDir Path dir;
  RegistryFixture reg;
  RpcClient admin;

  @BeforeEach
  void start() throws Exception {
    reg = new RegistryFixture(dir);
    admin = reg.client(reg.adminKey);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    reg.close();
  }

  private static final RegistryApi.GetPackageParams ALL_OF =
      new RegistryApi.GetPackageParams("hello-world", null, null, "short");

  @Test
  void anAdminPublishesAndAnyoneBrowses() throws Exception {
    Path v1 = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
    Path v2 = reg.packageFile("hello-world", "1.1.0:0", reg.adminKey);
    assertThat(RegistryFixture.publish(admin, v1, reg.adminKey).asText())
        .isEqualTo("hello-world@1.0.0:0");
    assertThat(RegistryFixture.publish(admin, v2, reg.adminKey).asText())
        .isEqualTo("hello-world@1.1.0:0");

    try (RpcClient anyone = reg.anonymous()) {
      assertThat(anyone.call(RegistryApi.INFO, new Empty()).name()).isEqualTo("Test Registry");
      JsonNode got = anyone.call(RegistryApi.PACKAGE_GET, ALL_OF);
      assertThat(got.path("best").fieldNames()).toIterable().containsExactly("1.1.0:0");
      assertThat(
              got.path("otherVersions").path("1.0.0:0").path("releaseNotes").path("en_US").asText())
          .isEqualTo("First release");
      JsonNode best = got.path("best").path("1.1.0:0");
      assertThat(best.path("title").asText()).isEqualTo("Hello World");
      assertThat(best.path("icon").asText()).startsWith("data:image/png;base64,");
      assertThat(best.path("dependencyMetadata").path("bitcoind").path("title").asText())
          .isEqualTo("Bitcoin");
      JsonNode file = best.path("s9pks").get(0);
      assertThat(file.get(0).path("arch")).hasSize(2);
      String url = file.get(1).path("urls").get(0).asText();
      assertThat(url).startsWith(reg.url + "/blob/").endsWith(".s9pk");
      assertThat(file.get(1).path("signatures").fieldNames().next())
          .isEqualTo(reg.adminKey.publicKey().pem());

      // The range asked for, and the index.
      JsonNode older =
          anyone.call(
              RegistryApi.PACKAGE_GET,
              new RegistryApi.GetPackageParams("hello-world", "<1.1.0", null, null));
      assertThat(older.path("best").fieldNames()).toIterable().containsExactly("1.0.0:0");
      assertThat(older.has("otherVersions")).isFalse();
      var index =
          RegistryFixture.JSON.treeToValue(
              anyone.call(RegistryApi.PACKAGE_INDEX, new Empty()), RegistryApi.PackageIndex.class);
      assertThat(index.packages().get("hello-world").versions())
          .containsOnlyKeys("1.0.0:0", "1.1.0:0");

      // The file itself, whole and by range, with its ETag; a whole download is counted.
      HttpClient http = HttpClient.newHttpClient();
      var whole =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(Files.readAllBytes(v2));
      assertThat(whole.headers().firstValue("ETag")).isPresent();
      var head =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=0-2").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(head.statusCode()).isEqualTo(206);
      assertThat(head.body()).containsExactly(0x3b, 0x3b, 0x02);
      assertThat(head.headers().firstValue("Content-Range"))
          .hasValue("bytes 0-2/" + Files.size(v2));
      var tail =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=-4").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      byte[] all = Files.readAllBytes(v2);
      assertThat(tail.body())
          .containsExactly(java.util.Arrays.copyOfRange(all, all.length - 4, all.length));
      var beyond =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Range", "bytes=" + all.length + "-")
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(beyond.statusCode()).isEqualTo(416);
      var cached =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("If-None-Match", whole.headers().firstValue("ETag").get())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(cached.statusCode()).isEqualTo(304);
      // The whole GET and the tail range each delivered the last byte.
      assertThat(
              admin
                  .call(
                      RegistryApi.METRICS_DOWNLOADS,
                      new RegistryApi.MetricsParams(null, null, null, null))
                  .downloads()
                  .get("hello-world")
                  .get("1.1.0:0"))
          .isEqualTo(2L);
    }
  }

  @Test
  void flavorsHaveABestEach() throws Exception {
    RegistryFixture.publish(
        admin, reg.packageFile("hello-world", "1.0.0:0", reg.adminKey), reg.adminKey);
    RegistryFixture.publish(
        admin, reg.packageFile("hello-world", "#knots:27.0:0", reg.adminKey), reg.adminKey);
    RegistryFixture.publish(
        admin, reg.packageFile("hello-world", "#knots:28.0:0", reg.adminKey), reg.adminKey);
    JsonNode got = admin.call(RegistryApi.PACKAGE_GET, ALL_OF);
    assertThat(got.path("best").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("1.0.0:0", "#knots:28.0:0");
    assertThat(got.path("otherVersions").fieldNames())
        .toIterable()
        .containsExactly("#knots:27.0:0");
  }

  @Test
  void aSignerPublishesOnlyWhatAnAdminAuthorized() throws Exception {
    DeveloperKey dev = DeveloperKey.generate(new SecureRandom());
    String devId =
        admin.call(
            RegistryApi.SIGNER_ADD,
            new RegistryApi.AddSignerParams(
                "dev", List.of("mailto:dev@example.com"), List.of(dev.publicKey().pem())));
    try (RpcClient signer = reg.client(dev)) {
      Path v1 = reg.packageFile("hello-world", "1.0.0:0", dev);
      assertThatThrownBy(() -> RegistryFixture.publish(signer, v1, dev))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("not authorized to publish hello-world")
          .extracting(e -> ((StartException) e).kind())
          .isEqualTo(ErrorKind.AUTHORIZATION);
      admin.call(
          RegistryApi.PACKAGE_SIGNER_ADD,
          new RegistryApi.PackageSignerParams("hello-world", devId, "<2.0.0", null));
      assertThat(RegistryFixture.publish(signer, v1, dev).asText())
          .isEqualTo("hello-world@1.0.0:0");
      Path v2 = reg.packageFile("hello-world", "2.0.0:0", dev);
      assertThatThrownBy(() -> RegistryFixture.publish(signer, v2, dev))
          .hasMessageContaining("only in the range <2.0.0");
      // Not an admin: cannot authorize itself or rename the registry.
      assertThatThrownBy(
              () -> signer.call(RegistryApi.SET_NAME, new RegistryApi.NameParams("mine")))
          .hasMessageContaining("needs an admin");
      assertThat(reg.registry.storedFiles()).hasSize(1);
    }
  }

  @Test
  void aTamperedUploadIsRefusedAndLeavesNothing() throws Exception {
    Path good = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
    var params = RegistryFixture.addParams(good, reg.adminKey);
    byte[] bytes = Files.readAllBytes(good);
    bytes[bytes.length - 10] ^= 1; // a byte of an image: the header and TOC still parse
    Path bad = dir.resolve("bad.s9pk");
    Files.write(bad, bytes);
    var answer = admin.call(RegistryApi.PACKAGE_ADD, params);
    assertThatThrownBy(() -> admin.uploadForResult(answer.upload(), bad))
        .isInstanceOf(StartException.class)
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(ErrorKind.INVALID_SIGNATURE);
    // Another package's file under this commitment is refused too.
    Path other = reg.packageFile("hello-world", "1.0.1:0", reg.adminKey);
    var again = admin.call(RegistryApi.PACKAGE_ADD, params);
    assertThatThrownBy(() -> admin.uploadForResult(again.upload(), other))
        .isInstanceOf(StartException.class);
    // The guid was used up.
    var used =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(reg.url + "/rest/rpc/" + again.upload()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1}))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(used.statusCode()).isEqualTo(404);
    assertThat(reg.registry.storedFiles()).isEmpty();
    assertThat(Files.list(reg.dir.resolve("data/packages/incoming"))).isEmpty();
    assertThat(admin.call(RegistryApi.PACKAGE_INDEX, new Empty()).path("packages").isEmpty())
        .isTrue();
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() throws Exception {
    DeveloperKey stranger = DeveloperKey.generate(new SecureRandom());
    Path file = reg.packageFile("hello-world", "1.0.0:0", stranger);
    // The admin sends it, but the commitment is signed by a key that is not the admin's.
    assertThatThrownBy(
            () -> admin.call(RegistryApi.PACKAGE_ADD, RegistryFixture.addParams(file, stranger)))
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(ErrorKind.INVALID_SIGNATURE);
    // An unknown key's signed request is anonymous: public methods answer, others refuse.
    try (RpcClient unknown = reg.client(stranger)) {
      assertThat(unknown.call(RegistryApi.INFO, new Empty()).name()).isEqualTo("Test Registry");
      assertThatThrownBy(() -> unknown.call(RegistryApi.INDEX, new Empty()))
          .hasMessageContaining("signed by a signer of this registry");
    }
  }

  @Test
  void replayedExpiredAndMisdirectedRequestsAreRefused() throws Exception {
    byte[] body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"admin.list\",\"params\":{}}".getBytes();
    HttpClient http = HttpClient.newHttpClient();
    var sig = RegistryFixture.sign(reg.adminKey, "localhost", body);
    assertThat(post(http, body, sig.header())).contains("\"result\"");
    assertThat(post(http, body, sig.header())).contains("\"code\":31").contains("already used");
    var old =
        RequestSignature.sign(
            reg.adminKey, "localhost", body, System.currentTimeMillis() / 1000 - 120, 42);
    assertThat(post(http, body, old.header())).contains("\"code\":31").contains("more than 30 s");
    var elsewhere = RegistryFixture.sign(reg.adminKey, "other.example", body);
    assertThat(post(http, body, elsewhere.header()))
        .contains("\"code\":31")
        .contains("does not verify");
    byte[] changed =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"admin.list\",\"params\":{ }}".getBytes();
    var forBody = RegistryFixture.sign(reg.adminKey, "localhost", body);
    assertThat(post(http, changed, forBody.header())).contains("\"code\":31");
    assertThat(post(http, body, "timestamp=1&nonce=x"))
        .contains("\"code\":31")
        .contains("malformed");
  }

  private String post(HttpClient http, byte[] body, String signature) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(reg.url + "/rpc/v0"))
                .header("Content-Type", "application/json")
                .header(RequestSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aDeviceSeesOnlyWhatItCanRun() throws Exception {
    RegistryFixture.publish(
        admin, reg.packageFile("hello-world", "1.0.0:0", reg.adminKey), reg.adminKey);
    HttpClient http = HttpClient.newHttpClient();
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"package.get\",\"params\":{\"id\":\"hello-world\"}}";
    assertThat(get(http, body, "os.compat=%3E%3D0.3.0%3A0&hardware.arch=x86_64"))
        .contains("\"1.0.0:0\"");
    assertThat(get(http, body, "hardware.arch=riscv64")).contains("\"best\":{}");
    assertThat(get(http, body, "os.compat=%3E%3D0.5.0%3A0&hardware.arch=x86_64"))
        .contains("\"best\":{}");
    assertThat(get(http, body, "os.compat=%3E%3D0.3.0%3A0&hardware.arch=x86_64&hardware.ram=1"))
        .contains("\"1.0.0:0\"");
  }

  private String get(HttpClient http, String body, String device) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(reg.url + "/rpc/v0"))
                .header("Content-Type", "application/json")
                .header("X-StartOS-Device-Info", device)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void addByUrlDownloadsAndVerifies() throws Exception {
    Path file = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
    var server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/pkg.s9pk",
        ex -> {
          byte[] b = Files.readAllBytes(file);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    try {
      String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/pkg.s9pk";
      var p = RegistryFixture.addParams(file, reg.adminKey);
      admin.call(
          RegistryApi.PACKAGE_ADD,
          new RegistryApi.AddPackageParams(List.of(mirror), p.commitment(), p.signature(), null));
      JsonNode urls =
          admin
              .call(RegistryApi.PACKAGE_GET, ALL_OF)
              .path("best")
              .path("1.0.0:0")
              .path("s9pks")
              .get(0)
              .get(1)
              .path("urls");
      assertThat(urls.get(0).asText()).startsWith(reg.url + "/blob/");
      assertThat(urls.get(1).asText()).isEqualTo(mirror);
      assertThat(reg.registry.storedFiles()).hasSize(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void categoriesAndRemoval() throws Exception {
    RegistryFixture.publish(
        admin, reg.packageFile("hello-world", "1.0.0:0", reg.adminKey), reg.adminKey);
    admin.call(
        RegistryApi.CATEGORY_ADD,
        new RegistryApi.CategoryAddParams("tools", RegistryFixture.JSON.readTree("\"Tools\"")));
    admin.call(
        RegistryApi.CATEGORY_ADD_PACKAGE,
        new RegistryApi.CategoryPackageParams("tools", "hello-world"));
    assertThat(admin.call(RegistryApi.PACKAGE_GET, ALL_OF).path("categories").get(0).asText())
        .isEqualTo("tools");
    assertThat(admin.call(RegistryApi.INFO, new Empty()).categories()).containsKey("tools");
    admin.call(
        RegistryApi.PACKAGE_REMOVE,
        new RegistryApi.RemovePackageParams("hello-world", "1.0.0:0", null, null));
    assertThat(admin.call(RegistryApi.PACKAGE_GET, ALL_OF).path("best").isEmpty()).isTrue();
  }
}
