package dev.hearth.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcError;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/** Writing JSON answers, and what every route needs to know of a request. */
final class Responses {
  private Responses() {}

  /** The base URL the client addressed ({@code scheme://authority}), or the configured one. */
  static String base(Request request, String configured) {
    if (!configured.isEmpty()) {
      return configured;
    }
    var uri = request.getHttpURI();
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  /** A JSON-RPC error answer with a null id: for a request refused before it was dispatched. */
  static byte[] error(ObjectMapper json, StartException e) {
    ObjectNode out = json.createObjectNode();
    out.put("jsonrpc", "2.0");
    out.set("error", json.valueToTree(RpcError.of(e, null)));
    out.set("id", NullNode.instance);
    return bytes(json, out);
  }

  static byte[] bytes(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void json(
      org.eclipse.jetty.server.Response response, int status, byte[] body, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
