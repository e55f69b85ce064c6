package dev.hearth.startd.http;

import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.startd.marketplace.RemotePackage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /s9pk/proxy/<percent-encoded package URL>/<path>?rootSighash=…&rootMaxsize=…} (rpc.md
 * §1.1): one file of a package on a registry, before it is installed — the Marketplace shows its
 * licence so. The package is read by byte ranges and checked against the commitment in the query
 * (the one the registry signed) before the file is served; the file is served as {@code
 * /s9pk/installed/} serves one, never as something the browser would render on this origin. For a
 * logged-in session only.
 */
final class RemotePackageRoute extends Handler.Abstract {
  static final String PREFIX = "/s9pk/proxy/";

  private final Supplier<Api> api;

  RemotePackageRoute(Supplier<Api> api) {
    this.api = api;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    if (InstalledPackageRoute.refusedUnlessSessionReads(api.get(), request, response, callback)) {
      return true;
    }
    // The raw path: the package URL is one segment, its own slashes percent-encoded.
    String raw = request.getHttpURI().getPath();
    String rest = raw.startsWith(PREFIX) ? raw.substring(PREFIX.length()) : "";
    int slash = rest.indexOf('/');
    Fields query = Request.extractQueryParameters(request);
    String sighash = query.getValue("rootSighash");
    String maxsize = query.getValue("rootMaxsize");
    if (slash <= 0 || slash == rest.length() - 1 || sighash == null || maxsize == null) {
      Response.writeError(
          request,
          response,
          callback,
          HttpStatus.BAD_REQUEST_400,
          "expected /s9pk/proxy/<package URL>/<path>?rootSighash=…&rootMaxsize=…");
      return true;
    }
    String url = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
    String inner = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
    byte[] body;
    try {
      Commitment expected = Commitment.fromJson(sighash, Long.parseLong(maxsize));
      try (S9pk pkg = RemotePackage.open(url, expected)) {
        body = pkg.read(inner, InstalledPackageRoute.MAX_FILE_BYTES);
      }
    } catch (IllegalArgumentException e) {
      Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
      return true;
    } catch (StartException e) {
      // Unreachable, not the committed package, or no such file in it.
      Response.writeError(request, response, callback, HttpStatus.BAD_GATEWAY_502, e.getMessage());
      return true;
    }
    InstalledPackageRoute.protect(response);
    InstalledPackageRoute.sendBody(request, response, callback, inner, body);
    return true;
  }
}
