package dev.hearth.startd.http;

import dev.hearth.jsonrpc.SessionCookie;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/** What the routes ask of a request alike: a cookie's value, and whether it only reads. */
final class Requests {
  private Requests() {}

  /** The value of the cookie named {@code name}, or null. */
  static @Nullable String cookie(Request request, String name) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  /**
   * The session token, from the cookie of this transport's name only: over TLS, a plain "session"
   * may have been planted over HTTP.
   */
  static @Nullable String session(Request request) {
    return cookie(request, SessionCookie.name(request.isSecure()));
  }

  /**
   * Answers 405 (with {@code Allow}) unless the request is a GET or HEAD.
   *
   * @return whether it was refused (the response is then written)
   */
  static boolean refusedUnlessRead(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return false;
    }
    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
    Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
    return true;
  }
}
