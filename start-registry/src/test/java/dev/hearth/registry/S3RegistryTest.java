package dev.hearth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.RegistryApi;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.registry.blob.S3Bucket;
import dev.hearth.registry.blob.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** A registry whose package files are in a bucket of a real S3-compatible server. */
@ExtendWith(S3Server.Extension.class)
class S3RegistryTest {
  @TempDir Path dir;

  private static String blobUrl(RpcClient client) {
    return client
        .call(
            RegistryApi.PACKAGE_GET,
            new RegistryApi.GetPackageParams("hello-world", null, null, null))
        .path("best")
        .path("1.0.0:0")
        .path("s9pks")
        .get(0)
        .get(1)
        .path("urls")
        .get(0)
        .asText();
  }

  private static long downloads(RpcClient admin) {
    var counts =
        admin
            .call(
                RegistryApi.METRICS_DOWNLOADS,
                new RegistryApi.MetricsParams(null, null, null, null))
            .downloads()
            .getOrDefault("hello-world", java.util.Map.of());
    return counts.getOrDefault("1.0.0:0", 0L);
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url, String... headers)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aPublishedPackageIsStoredInTheBucketAndStreamedWholeAndByRange(S3Server s3)
      throws Exception {
    S3Bucket bucket = s3.bucket(S3Bucket.Downloads.STREAM);
    try (var reg = new RegistryFixture(dir, bucket);
        RpcClient admin = reg.client(reg.adminKey);
        HttpClient http = HttpClient.newHttpClient()) {
      Path file = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
      byte[] all = Files.readAllBytes(file);
      assertThat(RegistryFixture.publish(admin, file, reg.adminKey).asText())
          .isEqualTo("hello-world@1.0.0:0");

      String url = blobUrl(admin);
      String key = url.substring(url.lastIndexOf('/') + 1);
      assertThat(s3.client().getObjectAsBytes(b -> b.bucket(bucket.name()).key(key)).asByteArray())
          .isEqualTo(all);
      assertThat(reg.registry.storedFiles()).containsExactly(key);
      // Verified on local disk, then uploaded: nothing stays there.
      try (var local = Files.list(dir.resolve("data/packages"))) {
        assertThat(local.map(p -> p.getFileName().toString())).containsExactly("incoming");
      }
      assertThat(dir.resolve("data/packages/incoming")).isEmptyDirectory();

      var whole = get(http, url);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(all);
      String etag = whole.headers().firstValue("ETag").orElseThrow();
      assertThat(etag).isEqualTo("\"" + key.substring(0, 64) + "\"");

      var first = get(http, url, "Range", "bytes=0-2");
      assertThat(first.statusCode()).isEqualTo(206);
      assertThat(first.body()).containsExactly(0x3b, 0x3b, 0x02);
      assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-2/" + all.length);

      var middle = get(http, url, "Range", "bytes=100-199", "If-Range", etag);
      assertThat(middle.statusCode()).isEqualTo(206);
      assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(all, 100, 200));

      var tail = get(http, url, "Range", "bytes=-4");
      assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(all, all.length - 4, all.length));

      assertThat(get(http, url, "Range", "bytes=" + all.length + "-").statusCode()).isEqualTo(416);
      assertThat(get(http, url, "If-None-Match", etag).statusCode()).isEqualTo(304);
      var head =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(all.length);
      assertThat(get(http, url.replace(key.substring(0, 4), "0000")).statusCode()).isEqualTo(404);
      // The whole GET and the tail each delivered the last byte.
      assertThat(downloads(admin)).isEqualTo(2);
    }
  }

  @Test
  void inRedirectModeADownloadIsSentToAPresignedUrlOfTheBucket(S3Server s3) throws Exception {
    S3Bucket bucket = s3.bucket(S3Bucket.Downloads.REDIRECT);
    try (var reg = new RegistryFixture(dir, bucket);
        RpcClient admin = reg.client(reg.adminKey);
        HttpClient http = HttpClient.newHttpClient();
        HttpClient following =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
      Path file = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
      byte[] all = Files.readAllBytes(file);
      RegistryFixture.publish(admin, file, reg.adminKey);
      String url = blobUrl(admin);
      String key = url.substring(url.lastIndexOf('/') + 1);

      var redirect = get(http, url);
      assertThat(redirect.statusCode()).isEqualTo(302);
      assertThat(redirect.headers().firstValue("Location").orElseThrow())
          .startsWith(s3.endpoint + "/" + bucket.name() + "/" + key + "?")
          .contains("X-Amz-Signature=");
      assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");

      var whole = get(following, url);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(all);
      var range = get(following, url, "Range", "bytes=100-199");
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(all, 100, 200));
      // A HEAD is answered by the registry itself (a presigned URL is for one method).
      var head =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(all.length);
      // Two links handed out for the whole file; the range stopped short of the end.
      assertThat(downloads(admin)).isEqualTo(2);
    }
  }

  @Test
  void filesTheIndexDoesNotNameAreSweptFromTheBucketAtStart(S3Server s3) throws Exception {
    S3Bucket bucket = s3.bucket(S3Bucket.Downloads.STREAM);
    String stray = "cd".repeat(32) + ".s9pk";
    s3.client().putObject(b -> b.bucket(bucket.name()).key(stray), RequestBody.fromString("x"));
    s3.client()
        .putObject(b -> b.bucket(bucket.name()).key("README.txt"), RequestBody.fromString("y"));
    try (var reg = new RegistryFixture(dir, bucket)) {
      assertThat(reg.registry.storedFiles()).isEmpty();
    }
    assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket.name())).contents())
        .extracting(o -> o.key())
        .containsExactly("README.txt");
  }
}
