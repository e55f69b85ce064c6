package dev.hearth.startd.http;

import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.jsonrpc.RpcEndpoint;
import dev.hearth.jsonrpc.SessionCookie;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /rpc/*}: refuses what a page of another origin sends (403, {@link SameOrigin}) and
 * bodies not declared {@code application/json} (415), both before reading anything; reads the body
 * (refusing more than the limit with 413), authenticates by cookie, runs the JSON-RPC call(s), and
 * answers with the session cookie a login or logout asks for and {@code X-Patch-Sequence} after a
 * database change (rpc.md §1.4).
 *
 * <p>Requiring the JSON content type closes what {@code SameSite} and the Origin check leave: an
 * HTML form, or a {@code fetch} without a CORS preflight, can only send {@code text/plain}, form or
 * multipart bodies, and a preflight is never answered (no CORS headers).
 */
final class RpcRoute extends Handler.Abstract {
  private final Supplier<Api> api;
  private final int maxBodyBytes;

  RpcRoute(Supplier<Api> api, int maxBodyBytes) {
    this.api = api;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!request.getMethod().equals("POST")) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    Optional<String> refused = SameOrigin.refusal(request);
    if (refused.isPresent()) {
      Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, refused.get());
      return true;
    }
    if (!isJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
      Response.writeError(
          request,
          response,
          callback,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
          "a JSON-RPC request has Content-Type: application/json");
      return true;
    }
    byte[] body = readBody(request);
    if (body == null) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      Response.writeError(
          request,
          response,
          callback,
          HttpStatus.PAYLOAD_TOO_LARGE_413,
          "a JSON-RPC request has at most " + maxBodyBytes + " bytes");
      return true;
    }
    Api current = api.get();
    Caller caller =
        current
            .authenticator()
            .authenticate(Requests.cookie(request, "local"), Requests.session(request));
    var context =
        new RpcContext(
            caller,
            remoteAddress(request),
            request.getHeaders().get(HttpHeader.USER_AGENT),
            request.isSecure());
    RpcEndpoint.Response answer = current.endpoint().handle(body, context);
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (answer.syncDb()) {
      response.getHeaders().put("X-Patch-Sequence", Long.toString(current.afterSync().afterSync()));
    }
    context
        .newSession()
        .ifPresent(s ->
            Response.addCookie(
                response, sessionCookie(s.token(), request.isSecure(), s.lifetime())));
    if (context.sessionEnded()) {
      Response.addCookie(response, sessionCookie("", request.isSecure(), Duration.ZERO));
    }
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
    return true;
  }

  /**
   * The session cookie: HttpOnly, SameSite=Strict, host-only (no Domain, which the Origin check
   * relies on), Path=/; over TLS named {@code __Host-session} and Secure. Kept by the browser for
   * the session's lifetime; an empty value with no age clears it.
   */
  static HttpCookie sessionCookie(String token, boolean secure, Duration maxAge) {
    return HttpCookie.build(SessionCookie.name(secure), token)
        .path("/")
        .httpOnly(true)
        .sameSite(HttpCookie.SameSite.STRICT)
        .secure(secure)
        .maxAge(maxAge.toSeconds())
        .build();
  }

  /** Whether a Content-Type is {@code application/json}, with any parameters. */
  static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().equalsIgnoreCase("application/json");
  }

  /** The body, or null if it is longer than the limit. */
  private byte @Nullable [] readBody(Request request) throws IOException {
    long declared = request.getLength();
    if (declared > maxBodyBytes) {
      return null;
    }
    try (InputStream in = Request.asInputStream(request)) {
      byte[] bytes = in.readNBytes(maxBodyBytes + 1);
      return bytes.length > maxBodyBytes ? null : bytes;
    }
  }

  private static @Nullable InetAddress remoteAddress(Request request) {
    return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
        ? a.getAddress()
        : null;
  }
}
