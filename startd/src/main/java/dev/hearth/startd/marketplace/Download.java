package dev.hearth.startd.marketplace;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Downloads a package file, resuming where a cut connection left off: each retry asks for the bytes
 * still missing ({@code Range}, with {@code If-Range} so a file that changed starts over), from the
 * next URL, until nothing has arrived for {@link #patience}. A connection that goes quiet for
 * {@link #READ_TIMEOUT} counts as cut.
 */
final class Download {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Download.class);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Told how far the download is: bytes so far and the total when known. */
  interface Progress {
    void at(long bytes, @Nullable Long total);
  }

  private final Duration patience;
  private final long maxBytes;
  private final InstantSource clock;

  /**
   * @param patience how long to keep retrying without a byte arriving
   * @param maxBytes the largest file accepted
   */
  Download(Duration patience, long maxBytes, InstantSource clock) {
    this.patience = patience;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /**
   * Fetches the file into {@code into} (created or truncated).
   *
   * @throws StartException NETWORK when no URL gave the rest of it in time; INVALID_REQUEST when it
   *     is larger than allowed
   * @throws InterruptedException when cancelled
   */
  void fetch(List<String> urls, Path into, Progress progress) throws InterruptedException {
    // A registry is hostile: only http(s) is fetched, never file:, jar: or ftp: (which the JDK's
    // URL connections would open as readily).
    urls = urls.stream().filter(u -> u.startsWith("http://") || u.startsWith("https://")).toList();
    if (urls.isEmpty()) {
      throw new StartException(
          ErrorKind.REGISTRY, "the registry lists no http(s) URL for the package");
    }
    long have = 0;
    Long total = null;
    String etag = null;
    Instant lastByte = clock.instant();
    String lastFailure = "";
    int attempt = 0;
    try (FileChannel out =
        FileChannel.open(
            into,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (true) {
        String url = urls.get(attempt % urls.size());
        attempt++;
        long before = have;
        try {
          HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
          c.setInstanceFollowRedirects(false); // a redirect could lead to another scheme
          c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
          c.setReadTimeout((int) READ_TIMEOUT.toMillis());
          if (have > 0) {
            c.setRequestProperty("Range", "bytes=" + have + "-");
            if (etag != null) {
              c.setRequestProperty("If-Range", etag);
            }
          }
          int status = c.getResponseCode();
          log.info("download {}: HTTP {} from byte {}", url, status, have);
          if (status == 200) {
            if (have > 0) {
              out.truncate(0); // the server sends it whole: start over
              have = 0;
            }
            long length = c.getContentLengthLong();
            total = length >= 0 ? length : null;
          } else if (status == 206) {
            String range = c.getHeaderField("Content-Range");
            if (range == null || !range.startsWith("bytes " + have + "-")) {
              throw new IOException("the server sent another range than asked: " + range);
            }
            int slash = range.lastIndexOf('/');
            total =
                slash > 0 && !range.endsWith("*")
                    ? Long.parseLong(range.substring(slash + 1))
                    : total;
          } else if (status == 416 && total != null && have == total) {
            break;
          } else {
            throw new IOException(url + " answered HTTP " + status);
          }
          if (total != null && total > maxBytes) {
            throw new StartException(
                ErrorKind.INVALID_REQUEST,
                "the package is "
                    + total
                    + " bytes, more than this server accepts ("
                    + maxBytes
                    + ")");
          }
          etag = c.getHeaderField("ETag") != null ? c.getHeaderField("ETag") : etag;
          try (InputStream in = c.getInputStream()) {
            byte[] buffer = new byte[1 << 18];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
              if (Thread.interrupted()) {
                throw new InterruptedException();
              }
              out.write(ByteBuffer.wrap(buffer, 0, n), have);
              have += n;
              if (have > maxBytes) {
                throw new StartException(
                    ErrorKind.INVALID_REQUEST, "the package is larger than this server accepts");
              }
              lastByte = clock.instant();
              progress.at(have, total);
            }
          }
          if (total == null || have == total) {
            break;
          }
          lastFailure = "the connection closed after " + have + " of " + total + " bytes";
        } catch (IOException | IllegalArgumentException e) {
          lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (have > before) {
          attempt = 0; // progress: the same URL again first
        }
        if (Duration.between(lastByte, clock.instant()).compareTo(patience) > 0) {
          throw new StartException(
              ErrorKind.NETWORK,
              "the download stopped at "
                  + have
                  + (total == null ? "" : " of " + total)
                  + " bytes: "
                  + lastFailure);
        }
        log.info("download cut at {} of {} bytes ({}); asking again", have, total, lastFailure);
        Thread.sleep(Math.min(5000, 500L * Math.max(1, attempt)));
      }
      out.force(true);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write the download: " + e, e);
    }
  }
}
