package dev.hearth.registry.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Package files in an S3-compatible bucket, under their own names as keys. An incoming file is
 * written and verified on local disk ({@code incoming}), then uploaded and deleted; a file larger
 * than one part goes up in parts, since the JDK's HTTP connection (the SDK client used here, the
 * smallest) holds a whole request body in memory, and a single PUT stops at 5 GiB. Downloads read
 * the range asked for from the bucket, or hand out a presigned URL ({@link S3Bucket.Downloads}).
 *
 * <p>Every method may be called from any thread: the SDK's client is thread-safe and this class
 * keeps no other mutable state.
 */
public final class S3BlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

  /** 16 MiB: bounds the memory an upload holds; S3 wants at least 5 MiB and at most 10,000. */
  static final long PART_BYTES = 16L << 20;

  /** How long a presigned link works: it is asked for again on each download and each resume. */
  static final Duration LINK_LIFETIME = Duration.ofMinutes(15);

  /** A bucket that does not answer a connection within this is down, not slow. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** A read that stalls this long fails the request (and the client's download, which resumes). */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private static final String TYPE = "application/octet-stream";

  private final S3Client s3;
  private final S3Presigner presigner;
  private final S3Bucket bucket;
  private final Path incoming;
  private final long partBytes;

  /**
   * Connects and checks that the bucket is there and the key may use it.
   *
   * @param incoming the local directory for uploads being verified (emptied now)
   * @throws IOException naming the bucket and the endpoint when it cannot be reached or used
   */
  public S3BlobStore(S3Bucket bucket, Path incoming) throws IOException {
    this(bucket, incoming, PART_BYTES);
  }

  S3BlobStore(S3Bucket bucket, Path incoming, long partBytes) throws IOException {
    this.bucket = bucket;
    this.incoming = FileBlobStore.emptyIncoming(incoming);
    this.partBytes = partBytes;
    S3Bucket.Credentials c = bucket.credentials();
    AwsCredentials key =
        c.sessionToken() == null
            ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
            : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    var credentials = StaticCredentialsProvider.create(key);
    boolean pathStyle = bucket.addressing() == S3Bucket.Addressing.PATH;
    var client =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(READ_TIMEOUT)
                    .build())
            .region(Region.of(bucket.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(pathStyle)
            // Checksums only where S3 requires them: the newer trailing-checksum encoding is
            // refused by several S3-compatible servers, and a package is verified by its hashes.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    var signer =
        S3Presigner.builder()
            .region(Region.of(bucket.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    if (bucket.endpoint() != null) {
      client.endpointOverride(bucket.endpoint());
      signer.endpointOverride(bucket.endpoint());
    }
    this.s3 = client.build();
    this.presigner = signer.build();
    try {
      s3.headBucket(b -> b.bucket(bucket.name()));
    } catch (SdkException e) {
      close();
      throw new IOException("cannot use " + where() + ": " + e.getMessage(), e);
    }
    log.info("package files in {} (downloads {})", where(), bucket.downloads());
  }

  private String where() {
    return "bucket "
        + bucket.name()
        + " at "
        + (bucket.endpoint() == null ? "AWS S3 " + bucket.region() : bucket.endpoint());
  }

  /** A file in the bucket: read by range through the registry, or fetched by the client. */
  public static final class InBucket implements Blob {
    private final S3BlobStore store;
    private final String name;
    private final long size;

    private InBucket(S3BlobStore store, String name, long size) {
      this.store = store;
      this.name = name;
      this.size = size;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long size() {
      return size;
    }

    /**
     * Bytes {@code [first, first + length)}, asked of the bucket as that range. The caller closes
     * the stream. Blocks for the request's answer.
     */
    public InputStream open(long first, long length) throws IOException {
      return store.open(name, first, length);
    }

    /**
     * A presigned URL the client may fetch the file from itself, for {@link #LINK_LIFETIME}; empty
     * when the registry streams its downloads.
     */
    public Optional<URI> link() {
      return store.bucket.downloads() == S3Bucket.Downloads.REDIRECT
          ? Optional.of(store.link(name))
          : Optional.empty();
    }

    @Override
    public String toString() {
      return "InBucket[" + name + ", " + size + " bytes]";
    }
  }

  @Override
  public Path incoming() throws IOException {
    return Files.createTempFile(incoming, "upload-", ".part");
  }

  @Override
  public Blob put(Path verified, String name) throws IOException {
    if (!FileBlobStore.isName(name)) {
      throw new IllegalArgumentException("not a blob name: " + name);
    }
    try {
      Optional<Blob> stored = get(name);
      if (stored.isPresent()) {
        return stored.get();
      }
      long size = Files.size(verified);
      if (size <= partBytes) {
        s3.putObject(
            b -> b.bucket(bucket.name()).key(name).contentType(TYPE),
            RequestBody.fromFile(verified));
      } else {
        uploadInParts(verified, name, size);
      }
      log.debug("{} uploaded to {} ({} bytes)", name, where(), size);
      return new InBucket(this, name, size);
    } catch (SdkException e) {
      throw new IOException("cannot store " + name + " in " + where() + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(verified);
    }
  }

  private void uploadInParts(Path file, String name, long size) throws IOException {
    String upload =
        s3.createMultipartUpload(b -> b.bucket(bucket.name()).key(name).contentType(TYPE))
            .uploadId();
    try (FileChannel in = FileChannel.open(file)) {
      List<CompletedPart> parts = new ArrayList<>();
      for (int number = 1; (number - 1) * partBytes < size; number++) {
        long offset = (number - 1) * partBytes;
        byte[] part = new byte[(int) Math.min(partBytes, size - offset)];
        ByteBuffer buffer = ByteBuffer.wrap(part);
        while (buffer.hasRemaining()) {
          if (in.read(buffer, offset + buffer.position()) < 0) {
            throw new IOException(file + " ended before its " + size + " bytes");
          }
        }
        int n = number;
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket.name())
                            .key(name)
                            .uploadId(upload)
                            .partNumber(n)
                            .contentLength((long) part.length),
                    RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(part), part.length, TYPE))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      s3.completeMultipartUpload(b ->
          b.bucket(bucket.name()).key(name).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    } catch (IOException | SdkException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket.name()).key(name).uploadId(upload));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  @Override
  public Optional<Blob> get(String name) throws IOException {
    if (!FileBlobStore.isName(name)) {
      return Optional.empty();
    }
    try {
      long size = s3.headObject(b -> b.bucket(bucket.name()).key(name)).contentLength();
      return Optional.of(new InBucket(this, name, size));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new IOException("cannot look up " + name + " in " + where() + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("cannot look up " + name + " in " + where() + ": " + e.getMessage(), e);
    }
  }

  private InputStream open(String name, long first, long length) throws IOException {
    ResponseInputStream<GetObjectResponse> in;
    try {
      in =
          s3.getObject(b ->
              b.bucket(bucket.name())
                  .key(name)
                  .range("bytes=" + first + "-" + (first + length - 1)));
    } catch (SdkException e) {
      throw new IOException("cannot read " + name + " from " + where() + ": " + e.getMessage(), e);
    }
    Long got = in.response().contentLength();
    if (got == null || got != length) {
      in.abort();
      throw new IOException(
          where() + " answered " + got + " bytes of " + name + " for a range of " + length);
    }
    return in;
  }

  private URI link(String name) {
    return URI.create(
        presigner
            .presignGetObject(p ->
                p.signatureDuration(LINK_LIFETIME)
                    .getObjectRequest(g -> g.bucket(bucket.name()).key(name)))
            .url()
            .toString());
  }

  @Override
  public void remove(String name) throws IOException {
    if (!FileBlobStore.isName(name)) {
      return;
    }
    try {
      s3.deleteObject(b -> b.bucket(bucket.name()).key(name));
    } catch (SdkException e) {
      throw new IOException(
          "cannot remove " + name + " from " + where() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Set<String> names() throws IOException {
    Set<String> out = new HashSet<>();
    try {
      s3.listObjectsV2Paginator(b -> b.bucket(bucket.name()))
          .contents()
          .forEach(o -> {
            if (FileBlobStore.isName(o.key())) {
              out.add(o.key());
            }
          });
    } catch (SdkException e) {
      throw new IOException("cannot list " + where() + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      presigner.close();
    } finally {
      s3.close();
    }
  }
}
