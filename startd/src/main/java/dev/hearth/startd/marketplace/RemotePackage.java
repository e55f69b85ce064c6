package dev.hearth.startd.marketplace;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.ArchiveSource;
import dev.hearth.s9pk.archive.Commitment;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package on a registry or a mirror, opened without downloading it: its header, tables of
 * contents and the files asked for are fetched by byte ranges, in blocks, and verified against the
 * commitment the registry signed before anything of it is used. The Marketplace shows a package's
 * licence this way before it is installed ({@code /s9pk/proxy/}, rpc.md §1.1).
 */
public final class RemotePackage {
  static final int BLOCK = 64 * 1024;

  /** Blocks kept per opened package: a licence and the tables of contents fit many times over. */
  static final int KEPT_BLOCKS = 64;

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private RemotePackage() {}

  /**
   * Opens the package at {@code url} (http or https, redirects not followed: a hostile listing
   * cannot lead to another scheme) and checks it against {@code expected}.
   *
   * @throws StartException INVALID_REQUEST for a URL that is not http(s), NETWORK when it cannot be
   *     read by ranges, PARSE_S9PK or INVALID_SIGNATURE when it is not the committed package
   */
  public static S9pk open(String url, Commitment expected) {
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "only an http(s) package URL is read");
    }
    var blocks = new Blocks(URI.create(url));
    long size = blocks.size();
    ArchiveSource source = ArchiveSource.remote(url, size, blocks::read);
    return S9pk.open(source, Optional.of(expected));
  }

  /** The remote file in blocks of {@link #BLOCK} bytes, the last {@link #KEPT_BLOCKS} kept. */
  private static final class Blocks {
    private final URI url;
    private final Map<Long, byte[]> kept =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > KEPT_BLOCKS;
          }
        };
    private long size = -1;

    Blocks(URI url) {
      this.url = url;
    }

    /** The file's length, from the first block's {@code Content-Range}. */
    long size() {
      try {
        block(0);
      } catch (IOException e) {
        throw new StartException(
            ErrorKind.NETWORK, "cannot read " + url + ": " + e.getMessage(), e);
      }
      return size;
    }

    int read(long position, ByteBuffer dst) throws IOException {
      int total = 0;
      while (dst.hasRemaining() && position + total < size) {
        long p = position + total;
        byte[] b = block(p / BLOCK);
        int off = (int) (p % BLOCK);
        int n = Math.min(dst.remaining(), b.length - off);
        if (n <= 0) {
          break;
        }
        dst.put(b, off, n);
        total += n;
      }
      return total;
    }

    private byte[] block(long index) throws IOException {
      byte[] b = kept.get(index);
      if (b != null) {
        return b;
      }
      long first = index * BLOCK;
      HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
      try {
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout((int) Download.CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) Download.READ_TIMEOUT.toMillis());
        c.setRequestProperty("Range", "bytes=" + first + "-" + (first + BLOCK - 1));
        if (c.getResponseCode() != 206) {
          throw new IOException("asked for a byte range, it answered HTTP " + c.getResponseCode());
        }
        Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
        if (!m.matches() || Long.parseLong(m.group(1)) != first) {
          throw new IOException("it answered another range: " + c.getHeaderField("Content-Range"));
        }
        long last = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        if (size >= 0 && total != size) {
          throw new IOException("its length changed from " + size + " to " + total);
        }
        if (last < first || last - first >= BLOCK || last >= total) {
          throw new IOException("it answered a range it was not asked for");
        }
        size = total;
        try (InputStream in = c.getInputStream()) {
          b = in.readNBytes((int) (last - first + 1));
        }
        if (b.length != last - first + 1) {
          throw new IOException("the range ended after " + b.length + " bytes");
        }
        kept.put(index, b);
        return b;
      } finally {
        c.disconnect();
      }
    }
  }
}
