package dev.hearth.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@ExtendWith(S3Server.Extension.class)
class S3BlobStoreTest {
  private static final String NAME = "ab".repeat(32) + ".s9pk";
  private static final long SMALL_PARTS = 5L << 20; // S3's smallest part

  @TempDir Path dir;
  S3Server server;

  @BeforeEach
  void server(S3Server s) {
    server = s;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Path incoming(S3BlobStore store, byte[] content) throws IOException {
    Path f = store.incoming();
    Files.write(f, content);
    return f;
  }

  private byte[] object(S3Bucket bucket, String key) {
    return server.client().getObjectAsBytes(b -> b.bucket(bucket.name()).key(key)).asByteArray();
  }

  @Test
  void aVerifiedFileGoesToTheBucketAndLeavesNoLocalCopy() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    byte[] content = bytes(70_000, 1);
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"))) {
      Path file = incoming(store, content);
      BlobStore.Blob blob = store.put(file, NAME);
      assertThat(blob.size()).isEqualTo(content.length);
      assertThat(file).doesNotExist();
      assertThat(dir.resolve("incoming")).isEmptyDirectory();
      assertThat(object(bucket, NAME)).isEqualTo(content);
      assertThat(store.get(NAME)).get().extracting(BlobStore.Blob::size).isEqualTo(70_000L);
      assertThat(store.names()).containsExactly(NAME);
    }
  }

  @Test
  void aFileLargerThanAPartIsUploadedInParts() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    byte[] content = bytes((int) SMALL_PARTS + 3, 2);
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"), SMALL_PARTS)) {
      store.put(incoming(store, content), NAME);
    }
    assertThat(object(bucket, NAME)).isEqualTo(content);
    // An object assembled from parts has the part count in its ETag.
    assertThat(server.client().headObject(b -> b.bucket(bucket.name()).key(NAME)).eTag())
        .endsWith("-2\"");
    assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket.name())).uploads())
        .isEmpty();
  }

  @Test
  void theSameContentIsStoredOnce() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    byte[] content = bytes(1000, 3);
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"))) {
      store.put(incoming(store, content), NAME);
      Path again = incoming(store, content);
      assertThat(store.put(again, NAME).size()).isEqualTo(1000);
      assertThat(again).doesNotExist();
    }
  }

  @Test
  void aRangeIsReadFromTheBucket() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    byte[] content = bytes(100_000, 4);
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"))) {
      var blob = (S3BlobStore.InBucket) store.put(incoming(store, content), NAME);
      try (InputStream in = blob.open(1234, 5000)) {
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 1234, 6234));
      }
      try (InputStream in = blob.open(99_999, 1)) {
        assertThat(in.readAllBytes()).containsExactly(content[99_999]);
      }
      assertThat(blob.link()).isEmpty();
    }
  }

  @Test
  void inRedirectModeAFileHasAPresignedLinkThatServesRanges() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.REDIRECT);
    byte[] content = bytes(10_000, 5);
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"));
        HttpClient http = HttpClient.newHttpClient()) {
      var blob = (S3BlobStore.InBucket) store.put(incoming(store, content), NAME);
      URI link = blob.link().orElseThrow();
      assertThat(link.toString())
          .startsWith(server.endpoint + "/" + bucket.name() + "/" + NAME)
          .contains("X-Amz-Signature=");
      var whole =
          http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(content);
      var part =
          http.send(
              HttpRequest.newBuilder(link).header("Range", "bytes=10-19").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    }
  }

  @Test
  void anUnknownOrMalformedNameIsAbsent() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    server
        .client()
        .putObject(
            b -> b.bucket(bucket.name()).key("notes.txt"),
            software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"))) {
      assertThat(store.get(NAME)).isEmpty();
      assertThat(store.get("notes.txt")).isEmpty();
      assertThat(store.get("../" + NAME)).isEmpty();
      assertThat(store.names()).isEmpty();
    }
  }

  @Test
  void removeDeletesTheObject() throws Exception {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    try (var store = new S3BlobStore(bucket, dir.resolve("incoming"))) {
      store.put(incoming(store, bytes(10, 6)), NAME);
      store.remove(NAME);
      assertThat(store.get(NAME)).isEmpty();
      assertThatThrownBy(() -> object(bucket, NAME)).isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void aMissingBucketIsRefusedAtStartByName() {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    var missing =
        new S3Bucket(
            bucket.endpoint(),
            "no-such-bucket",
            bucket.region(),
            bucket.addressing(),
            bucket.downloads(),
            bucket.credentials());
    assertThatThrownBy(() -> new S3BlobStore(missing, dir.resolve("incoming")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot use bucket no-such-bucket at " + server.endpoint);
  }

  @Test
  void aWrongSecretIsRefusedAtStartWithoutShowingIt() {
    S3Bucket bucket = server.bucket(S3Bucket.Downloads.STREAM);
    var wrong =
        new S3Bucket(
            bucket.endpoint(),
            bucket.name(),
            bucket.region(),
            bucket.addressing(),
            bucket.downloads(),
            new S3Bucket.Credentials(S3Server.ACCESS_KEY, "not-the-secret", null));
    assertThatThrownBy(() -> new S3BlobStore(wrong, dir.resolve("incoming")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot use bucket " + bucket.name())
        .hasMessageNotContaining("not-the-secret");
    assertThat(wrong.credentials().toString()).doesNotContain("not-the-secret");
  }
}
