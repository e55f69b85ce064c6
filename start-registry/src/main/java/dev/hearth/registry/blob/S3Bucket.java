package dev.hearth.registry.blob;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link S3BlobStore} keeps package files: a bucket of its own (files there that the index
 * does not name are removed at start, as on disk).
 *
 * @param endpoint the S3-compatible server; null: AWS S3 itself, found from the region
 * @param name the bucket, which must exist
 * @param region the region requests are signed for (S3-compatible servers mostly take any)
 * @param addressing how the bucket is named in a URL
 * @param downloads whether {@code /blob/} streams a file through the registry or sends the client
 *     to the bucket
 * @param credentials the access key
 */
public record S3Bucket(
    @Nullable URI endpoint,
    String name,
    String region,
    Addressing addressing,
    Downloads downloads,
    Credentials credentials) {
  /** How the bucket is named in a URL. */
  public enum Addressing {
    /** {@code https://<bucket>.<endpoint>/<key>}: AWS's default. */
    VIRTUAL_HOST,
    /** {@code https://<endpoint>/<bucket>/<key>}: what most self-hosted servers want. */
    PATH
  }

  /** How {@code GET /blob/<name>} answers. */
  public enum Downloads {
    /** The registry reads the range asked for from the bucket and sends it on. */
    STREAM,
    /** 302 to a presigned URL of the bucket's, for clients that follow redirects. */
    REDIRECT
  }

  /** An access key; the secret never appears in {@link #toString()}. */
  public record Credentials(
      String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
    public Credentials {
      if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
        throw new IllegalArgumentException("an S3 access key needs an id and a secret");
      }
    }

    @Override
    public String toString() {
      return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=██]";
    }
  }

  public S3Bucket {
    if (name.isBlank()) {
      throw new IllegalArgumentException("the S3 bucket needs a name");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException("the S3 region must not be empty");
    }
    if (endpoint != null
        && !"http".equals(endpoint.getScheme())
        && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("the S3 endpoint must be an http(s) URL: " + endpoint);
    }
  }
}
