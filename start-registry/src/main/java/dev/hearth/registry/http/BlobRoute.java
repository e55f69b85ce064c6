package dev.hearth.registry.http;

import dev.hearth.registry.blob.BlobStore;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET|HEAD /blob/<hex sighash>.s9pk}: a stored package file, with its exact length, a strong
 * ETag (the name is the content's hash, so it never changes) and single byte ranges, so that a
 * client reads only a package's header, its table of contents or one file, and resumes a download
 * cut in the middle. A GET that delivers the file's last byte counts as a download.
 */
final class BlobRoute extends Handler.Abstract {
  static final String PREFIX = "/blob/";

  /** A byte range of a file of {@code size} bytes: {@code [first, last]}. */
  record Range(long first, long last) {
    /** What {@link #parse} answers for a range no byte of the file is in. */
    static final Range UNSATISFIABLE = new Range(-1, -2);

    long length() {
      return last - first + 1;
    }

    /**
     * The single range a {@code Range} header asks for; empty for a header we serve whole (several
     * ranges, another unit, malformed); {@link #UNSATISFIABLE} when no byte of it exists.
     */
    static Optional<Range> parse(String header, long size) {
      if (!header.startsWith("bytes=") || header.indexOf(',') >= 0) {
        return Optional.empty();
      }
      String spec = header.substring(6).strip();
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return Optional.empty();
      }
      try {
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (a.isEmpty()) {
          long suffix = Long.parseLong(b);
          if (suffix <= 0) {
            return Optional.of(UNSATISFIABLE);
          }
          return Optional.of(new Range(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(a);
        long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (first < 0 || first >= size || last < first) {
          return Optional.of(UNSATISFIABLE);
        }
        return Optional.of(new Range(first, last));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  private final BlobStore blobs;
  private final Consumer<String> downloaded;

  /**
   * @param downloaded told the name of each file a client received to its end
   */
  BlobRoute(BlobStore blobs, Consumer<String> downloaded) {
    this.blobs = blobs;
    this.downloaded = downloaded;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    boolean head = request.getMethod().equals("HEAD");
    if (!head && !request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    String name = request.getHttpURI().getPath().substring(PREFIX.length());
    Optional<BlobStore.Blob> found = blobs.get(name);
    if (found.isEmpty()) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    BlobStore.Blob blob = found.get();
    String etag = "\"" + name.substring(0, name.indexOf('.')) + "\"";
    var headers = response.getHeaders();
    headers.put(HttpHeader.ETAG, etag);
    headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
    headers.put(HttpHeader.CACHE_CONTROL, "public, max-age=31536000, immutable");
    headers.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    headers.put("X-Content-Type-Options", "nosniff");
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.strip().equals("*"))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return true;
    }
    Range range = new Range(0, blob.size() - 1);
    int status = HttpStatus.OK_200;
    String rangeHeader = request.getHeaders().get(HttpHeader.RANGE);
    String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
    if (rangeHeader != null
        && blob.size() > 0
        && (ifRange == null || ifRange.strip().equals(etag))) {
      Optional<Range> asked = Range.parse(rangeHeader, blob.size());
      if (asked.isPresent() && asked.get() == Range.UNSATISFIABLE) {
        headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + blob.size());
        Response.writeError(request, response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416);
        return true;
      }
      if (asked.isPresent()) {
        range = asked.get();
        status = HttpStatus.PARTIAL_CONTENT_206;
        headers.put(
            HttpHeader.CONTENT_RANGE,
            "bytes " + range.first() + "-" + range.last() + "/" + blob.size());
      }
    }
    response.setStatus(status);
    headers.put(HttpHeader.CONTENT_LENGTH, Math.max(0, range.length()));
    if (head || blob.size() == 0) {
      response.write(true, null, callback);
      return true;
    }
    boolean toTheEnd = range.last() == blob.size() - 1;
    Callback counted =
        toTheEnd
            ? new Callback() {
              @Override
              public void succeeded() {
                downloaded.accept(name);
                callback.succeeded();
              }

              @Override
              public void failed(Throwable x) {
                callback.failed(x);
              }
            }
            : callback;
    Content.copy(
        Content.Source.from(blob.path(), range.first(), range.length()), response, counted);
    return true;
  }
}
