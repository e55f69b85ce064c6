package dev.hearth.jsonrpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import org.jspecify.annotations.Nullable;

/**
 * The error object of a JSON-RPC response (rpc.md §1.3). Errors of the framing layer carry the
 * standard negative codes and a plain string (or no) {@code data}; errors of a method carry the
 * {@link ErrorKind} code, its title as {@code message}, and {@code data = {details, debug, info}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcError(int code, String message, @Nullable JsonNode data) {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;

  public static RpcError parseError(String detail) {
    return new RpcError(PARSE_ERROR, "Parse error", JsonNodeFactory.instance.textNode(detail));
  }

  public static RpcError invalidRequest(String detail) {
    return new RpcError(
        INVALID_REQUEST, "Invalid Request", JsonNodeFactory.instance.textNode(detail));
  }

  public static RpcError methodNotFound(String method) {
    return new RpcError(METHOD_NOT_FOUND, "Method not found: " + method, null);
  }

  public static RpcError invalidParams(String detail) {
    return new RpcError(
        INVALID_PARAMS, "Invalid params", JsonNodeFactory.instance.textNode(detail));
  }

  public static RpcError internal() {
    return new RpcError(INTERNAL_ERROR, "Internal error", null);
  }

  /** The wire form of one of our errors. {@code info} must already be JSON. */
  public static RpcError of(StartException e, @Nullable JsonNode info) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("details", e.getMessage());
    data.put("debug", e.kind() + ": " + e.getMessage());
    data.set("info", info == null ? JsonNodeFactory.instance.nullNode() : info);
    return new RpcError(e.kind().code, e.kind().title, data);
  }

  /**
   * The error as an exception of ours on the client side: our codes map back to their kind; -32601
   * becomes NOT_FOUND and the other framing codes DESERIALIZATION (rpc.md §1.3).
   */
  public StartException toException() {
    ErrorKind kind =
        switch (code) {
          case METHOD_NOT_FOUND -> ErrorKind.NOT_FOUND;
          case PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS -> ErrorKind.DESERIALIZATION;
          default -> ErrorKind.ofCode(code).orElse(ErrorKind.UNKNOWN);
        };
    String detail = message;
    if (data != null && data.isObject() && data.path("details").isTextual()) {
      detail = data.get("details").asText();
    } else if (data != null && data.isTextual()) {
      detail = message + ": " + data.asText();
    }
    JsonNode info = data != null && data.isObject() ? data.get("info") : null;
    return new StartException(
        kind, detail, info == null || info.isNull() ? null : info, (Throwable) null);
  }
}
