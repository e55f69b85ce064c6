package dev.hearth.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.jsonrpc.RpcEndpoint;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.pkg.DeviceInfo;
import dev.hearth.s9pk.sign.RequestSignature;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /rpc/*}: JSON only, at most {@link #MAX_BODY} bytes, authenticated by signature (a
 * bad one refuses the whole request with code 31), then dispatched with the request's base URL and
 * device at hand. No cookies are read, so there is nothing for another site to ride on.
 */
final class RpcRoute extends Handler.Abstract {
  static final int MAX_BODY = 1 << 20;

  private final RpcEndpoint endpoint;
  private final Authenticator auth;
  private final ObjectMapper json;
  private final String publicUrl;
  private final RequestScope facts;

  RpcRoute(
      RpcEndpoint endpoint,
      Authenticator auth,
      ObjectMapper json,
      String publicUrl,
      RequestScope facts) {
    this.endpoint = endpoint;
    this.auth = auth;
    this.json = json;
    this.publicUrl = publicUrl;
    this.facts = facts;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!request.getMethod().equals("POST")) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      Response.writeError(
          request,
          response,
          callback,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
          "a JSON-RPC request has Content-Type: application/json");
      return true;
    }
    byte[] body;
    if (request.getLength() > MAX_BODY) {
      body = null;
    } else {
      try (InputStream in = Request.asInputStream(request)) {
        body = in.readNBytes(MAX_BODY + 1);
      }
    }
    if (body == null || body.length > MAX_BODY) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
      return true;
    }
    Caller caller;
    Optional<DeviceInfo> device;
    try {
      caller = auth.authenticate(request.getHeaders().get(RequestSignature.HEADER), body);
      String deviceHeader = request.getHeaders().get(DeviceInfo.HEADER);
      device =
          deviceHeader == null ? Optional.empty() : Optional.of(DeviceInfo.parse(deviceHeader));
    } catch (StartException e) {
      Responses.json(response, HttpStatus.OK_200, Responses.error(json, e), callback);
      return true;
    }
    var context =
        new RpcContext(
            caller,
            request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getAddress()
                : null,
            request.getHeaders().get(HttpHeader.USER_AGENT),
            request.isSecure());
    RpcEndpoint.Response[] answer = new RpcEndpoint.Response[1];
    facts.around(
        Responses.base(request, publicUrl),
        device,
        () -> answer[0] = endpoint.handle(body, context));
    Responses.json(response, HttpStatus.OK_200, answer[0].body(), callback);
    return true;
  }
}
