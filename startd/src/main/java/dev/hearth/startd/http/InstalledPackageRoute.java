package dev.hearth.startd.http;

import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.s9pk.S9pk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /s9pk/installed/<id>.s9pk[/<path>]} (rpc.md §1.1): an installed package's archive, or one
 * verified file inside it, such as the {@code instructions.md} the service page shows. Only for a
 * logged-in session (not the local cookie), as upstream.
 *
 * <p>What is inside a package is the package's, so hostile: a file is sent as Markdown or plain
 * text when its name says so and as a download otherwise, never as HTML or an image the browser
 * would render on this origin, with {@code nosniff} and a sandboxing CSP in case a browser is
 * opened on it anyway.
 */
final class InstalledPackageRoute extends Handler.Abstract {
  static final String PREFIX = "/s9pk/installed/";
  static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
  private static final Pattern PATH =
      Pattern.compile("/s9pk/installed/([a-z0-9]+(?:-[a-z0-9]+)*)\\.s9pk(?:/(.+))?");
  private static final String SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'none'";

  private final Supplier<Api> api;
  private final Function<String, Optional<Path>> archives;

  /**
   * @param archives where an installed package's archive is, by its id
   */
  InstalledPackageRoute(Supplier<Api> api, Function<String, Optional<Path>> archives) {
    this.api = api;
    this.archives = archives;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    if (refusedUnlessSessionReads(api.get(), request, response, callback)) {
      return true;
    }
    Matcher m = PATH.matcher(request.getHttpURI().getDecodedPath());
    Optional<Path> archive = m.matches() ? archives.apply(m.group(1)) : Optional.empty();
    if (archive.isEmpty() || !Files.isRegularFile(archive.get())) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    protect(response);
    String inner = m.group(2);
    if (inner == null) {
      sendArchive(request, response, callback, m.group(1), archive.get());
    } else {
      sendFile(request, response, callback, archive.get(), inner);
    }
    return true;
  }

  /**
   * Answers and says so unless the request is a read (GET, HEAD) from this origin by a logged-in
   * session: what {@code /s9pk/} routes serve is for the UI, not for the local cookie.
   */
  static boolean refusedUnlessSessionReads(
      Api api, Request request, Response response, Callback callback) {
    if (Requests.refusedUnlessRead(request, response, callback)) {
      return true;
    }
    Optional<String> refused = SameOrigin.refusal(request);
    if (refused.isPresent()) {
      Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, refused.get());
      return true;
    }
    if (!(api.authenticator().authenticate(null, Requests.session(request))
        instanceof Caller.Session)) {
      Response.writeError(request, response, callback, HttpStatus.UNAUTHORIZED_401);
      return true;
    }
    return false;
  }

  private static void sendArchive(
      Request request, Response response, Callback callback, String id, Path file)
      throws IOException {
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put("Content-Disposition", "attachment; filename=\"" + id + ".s9pk\"");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(file));
    if (request.getMethod().equals("HEAD")) {
      callback.succeeded();
      return;
    }
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      Files.copy(file, out);
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
  }

  private static void sendFile(
      Request request, Response response, Callback callback, Path file, String inner) {
    byte[] body;
    try (S9pk pkg = S9pk.open(file)) {
      body = pkg.read(inner, MAX_FILE_BYTES);
    } catch (StartException | IOException e) {
      // Not in the package, a directory, too large, or an archive that no longer verifies.
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404, e.getMessage());
      return;
    }
    sendBody(request, response, callback, inner, body);
  }

  /** A file of a package: as text when its name says it is text, else as a download. */
  static void sendBody(
      Request request, Response response, Callback callback, String inner, byte[] body) {
    String type = textType(inner.substring(inner.lastIndexOf('/') + 1));
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    if (type.equals("application/octet-stream")) {
      response.getHeaders().put("Content-Disposition", "attachment");
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
  }

  /** Markdown and plain text by name; anything else is a download. */
  static String textType(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".md")) {
      return "text/markdown; charset=utf-8";
    }
    if (lower.endsWith(".txt") || !lower.contains(".")) {
      return "text/plain; charset=utf-8"; // LICENSE
    }
    return "application/octet-stream";
  }

  static void protect(Response response) {
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Content-Security-Policy", SANDBOX);
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
  }
}
