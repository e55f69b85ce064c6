package dev.hearth.registry.http;

import dev.hearth.registry.blob.BlobStore;
import dev.hearth.registry.blob.S3BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|HEAD /blob/<hex sighash>.s9pk}: a stored package file, with its exact length, a strong
 * ETag (the name is the content's hash, so it never changes) and single byte ranges, so that a
 * client reads only a package's header, its table of contents or one file, and resumes a download
 * cut in the middle. A GET that delivers the file's last byte counts as a download.
 *
 * <p>A file in a bucket is read by range from it and sent on, on the request's (virtual) thread;
 * or, when the bucket hands out links, a GET is answered 302 with a presigned URL and counted when
 * it asks for the file's end.
 */
final class BlobRoute extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(BlobRoute.class);
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
    Optional<BlobStore.Blob> found;
    try {
      found = blobs.get(name);
    } catch (IOException e) {
      log.warn("cannot serve {}: {}", name, e.getMessage());
      Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
      return true;
    }
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
    switch (blob) {
      case BlobStore.OnDisk file ->
          Content.copy(
              Content.Source.from(file.path(), range.first(), range.length()), response, counted);
      case S3BlobStore.InBucket object -> fromBucket(object, range, request, response, counted);
    }
    return true;
  }

  /**
   * Sends the range from the bucket, or 302 to it. The link expires, so the redirect is not to be
   * cached; the client sends its {@code Range} on to the bucket.
   */
  private static void fromBucket(
      S3BlobStore.InBucket object,
      Range range,
      Request request,
      Response response,
      Callback callback) {
    Optional<URI> link = object.link();
    if (link.isPresent()) {
      var headers = response.getHeaders();
      // What describes the file is the bucket's to say; the registry's answer is only the link.
      headers.remove(HttpHeader.CONTENT_RANGE);
      headers.remove(HttpHeader.ETAG);
      headers.remove(HttpHeader.ACCEPT_RANGES);
      headers.remove(HttpHeader.CONTENT_TYPE);
      headers.put(HttpHeader.LOCATION, link.get().toString());
      headers.put(HttpHeader.CACHE_CONTROL, "no-store");
      headers.put(HttpHeader.CONTENT_LENGTH, 0);
      response.setStatus(HttpStatus.FOUND_302);
      response.write(true, null, callback);
      return;
    }
    InputStream in;
    try {
      in = object.open(range.first(), range.length());
    } catch (IOException e) {
      log.warn("cannot serve {}: {}", object.name(), e.getMessage());
      response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
      response.getHeaders().remove(HttpHeader.CONTENT_RANGE);
      Response.writeError(request, response, callback, HttpStatus.BAD_GATEWAY_502);
      return;
    }
    // A blocking copy: handlers run on virtual threads, and a network stream has no zero-copy path.
    try (in;
        OutputStream out = Content.Sink.asOutputStream(response)) {
      in.transferTo(out);
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    callback.succeeded();
  }
}
