package dev.hearth.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * JSON-RPC framing over one request body (rpc.md §1.2): a single request or a batch, each answered
 * with {@code {"jsonrpc","result"|"error","id"}} in that key order. A body that is not JSON, or a
 * request without {@code params}, is a parse error with a null id, as StartOS answers it.
 *
 * <p>Thread-safe; stateless apart from the tree.
 */
public final class RpcEndpoint {
  private final Supplier<RpcTree> tree;
  private final ObjectMapper mapper;

  /**
   * @param tree the tree to dispatch to; asked per request, so a server can switch trees (setup
   *     mode, then normal mode)
   */
  public RpcEndpoint(Supplier<RpcTree> tree, ObjectMapper mapper) {
    this.tree = tree;
    this.mapper = mapper;
  }

  /** A response body, and whether any call in it changed the database. */
  public record Response(byte[] body, boolean syncDb) {}

  public Response handle(byte[] body, RpcContext context) {
    JsonNode request;
    try {
      request = mapper.readTree(body);
    } catch (IOException e) {
      return single(error(NullNode.instance, RpcError.parseError(firstLine(e))), false);
    }
    return handle(request, context);
  }

  /** Answers a request the caller has parsed already (null or missing: an empty body). */
  public Response handle(@Nullable JsonNode request, RpcContext context) {
    if (request == null || request.isMissingNode()) {
      return single(error(NullNode.instance, RpcError.parseError("empty body")), false);
    }
    RpcTree current = tree.get();
    if (request.isArray()) {
      if (request.isEmpty()) {
        return single(error(NullNode.instance, RpcError.invalidRequest("empty batch")), false);
      }
      ArrayNode answers = mapper.createArrayNode();
      boolean sync = false;
      for (JsonNode one : request) {
        Answer a = answer(current, one, context);
        answers.add(a.json());
        sync |= a.syncDb();
      }
      return new Response(write(answers), sync);
    }
    Answer a = answer(current, request, context);
    return single(a.json(), a.syncDb());
  }

  private record Answer(ObjectNode json, boolean syncDb) {}

  private Answer answer(RpcTree current, JsonNode request, RpcContext context) {
    if (!request.isObject()) {
      return new Answer(
          error(NullNode.instance, RpcError.invalidRequest("a request must be an object")), false);
    }
    JsonNode id = request.has("id") ? request.get("id") : NullNode.instance;
    if (!(id.isTextual() || id.isNumber() || id.isNull())) {
      return new Answer(
          error(NullNode.instance, RpcError.invalidRequest("id must be a string, number or null")),
          false);
    }
    JsonNode method = request.get("method");
    if (method == null || !method.isTextual()) {
      return new Answer(error(id, RpcError.invalidRequest("method must be a string")), false);
    }
    JsonNode params = request.get("params");
    if (params == null || params.isNull()) {
      // rpc.md §1.2: params is mandatory; StartOS cannot parse a request without it.
      return new Answer(
          error(NullNode.instance, RpcError.parseError("missing field `params`")), false);
    }
    boolean sync = current.spec(method.asText()).map(MethodSpec::syncDb).orElse(false);
    try {
      JsonNode result = current.call(context, method.asText(), params);
      ObjectNode ok = mapper.createObjectNode();
      ok.put("jsonrpc", "2.0");
      ok.set("result", result == null ? NullNode.instance : result);
      ok.set("id", id);
      return new Answer(ok, sync);
    } catch (RpcFailure f) {
      return new Answer(error(id, f.error()), sync);
    }
  }

  private ObjectNode error(JsonNode id, RpcError error) {
    ObjectNode e = mapper.createObjectNode();
    e.put("jsonrpc", "2.0");
    e.set("error", mapper.valueToTree(error));
    e.set("id", id);
    return e;
  }

  private Response single(ObjectNode json, boolean syncDb) {
    return new Response(write(json), syncDb);
  }

  private byte[] write(JsonNode json) {
    try {
      return mapper.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(IOException e) {
    String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    return m == null ? "invalid JSON" : m.lines().findFirst().orElse("invalid JSON");
  }
}
