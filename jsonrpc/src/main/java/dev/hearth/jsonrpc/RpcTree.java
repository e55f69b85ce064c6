package dev.hearth.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The methods a server offers, each bound to its handler. Dispatch checks, in order: the method
 * exists (-32601), the caller may use it (34 Authorization), the params fit its record (-32602);
 * then runs the handler and turns what it throws into an error object. Immutable once built.
 */
public final class RpcTree {
  private static final Logger log = LoggerFactory.getLogger(RpcTree.class);

  private record Bound<P, R>(MethodSpec<P, R> spec, RpcHandler<P, R> handler) {}

  private final TreeMap<String, Bound<?, ?>> methods;
  private final ObjectMapper mapper;
  private final @Nullable ErrorKind badParams;
  private final String authenticatedBy;

  private RpcTree(
      TreeMap<String, Bound<?, ?>> methods,
      ObjectMapper mapper,
      @Nullable ErrorKind badParams,
      String authenticatedBy) {
    this.methods = methods;
    this.mapper = mapper;
    this.badParams = badParams;
    this.authenticatedBy = authenticatedBy;
  }

  public static Builder builder(ObjectMapper mapper) {
    return new Builder(mapper);
  }

  /** Collects bindings; refuses a name bound twice. */
  public static final class Builder {
    private final TreeMap<String, Bound<?, ?>> methods = new TreeMap<>();
    private final ObjectMapper mapper;
    private @Nullable ErrorKind badParams;
    private String authenticatedBy = "a logged-in session";

    private Builder(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    public <P, R> Builder bind(MethodSpec<P, R> spec, RpcHandler<P, R> handler) {
      if (methods.putIfAbsent(spec.name(), new Bound<>(spec, handler)) != null) {
        throw new IllegalArgumentException("method " + spec.name() + " is bound twice");
      }
      return this;
    }

    /**
     * Params that do not fit their record are refused as a method's error of {@code kind}, with a
     * message naming the method and the field, instead of JSON-RPC's -32602. The effects server
     * answers so (container-runtime.md §2.5: the SDK shows {@code message: details}).
     */
    public Builder badParamsAs(ErrorKind kind) {
      this.badParams = kind;
      return this;
    }

    /**
     * What an authenticated caller is here, for the refusal of an anonymous one ({@code <method>
     * needs <what>}): a registry's callers are signers, not sessions.
     */
    public Builder authenticatedBy(String what) {
      this.authenticatedBy = what;
      return this;
    }

    public RpcTree build() {
      return new RpcTree(new TreeMap<>(methods), mapper, badParams, authenticatedBy);
    }
  }

  /** Every method, in name order: the generated method list. */
  public List<MethodSpec<?, ?>> specs() {
    List<MethodSpec<?, ?>> out = new ArrayList<>();
    for (Bound<?, ?> b : methods.values()) {
      out.add(b.spec());
    }
    return Collections.unmodifiableList(out);
  }

  public Optional<MethodSpec<?, ?>> spec(String name) {
    Bound<?, ?> b = methods.get(name);
    return b == null ? Optional.empty() : Optional.of(b.spec());
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Calls a method.
   *
   * @param params the params object of the request
   * @return the result as JSON
   * @throws RpcFailure the error object to answer with
   */
  public JsonNode call(RpcContext context, String method, JsonNode params) throws RpcFailure {
    Bound<?, ?> bound = methods.get(method);
    if (bound == null) {
      throw new RpcFailure(RpcError.methodNotFound(method));
    }
    return invoke(bound, context, params);
  }

  private <P, R> JsonNode invoke(Bound<P, R> bound, RpcContext context, JsonNode params)
      throws RpcFailure {
    MethodSpec<P, R> spec = bound.spec();
    checkAccess(spec, context.caller());
    if (!params.isObject()) {
      throw new RpcFailure(RpcError.invalidParams("params must be an object"));
    }
    P typed;
    try {
      typed = mapper.treeToValue(params, spec.params());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      if (badParams != null) {
        String where = e instanceof JsonMappingException m ? path(m) : "";
        String why = spec.name() + ": " + (where.isEmpty() ? "" : where + ": ") + describe(e);
        throw new RpcFailure(RpcError.of(new StartException(badParams, why), null));
      }
      throw new RpcFailure(RpcError.invalidParams(describe(e)));
    }
    R result;
    try {
      result = bound.handler().handle(context, typed);
    } catch (StartException e) {
      throw new RpcFailure(RpcError.of(e, e.info() == null ? null : mapper.valueToTree(e.info())));
    } catch (Exception e) {
      log.error("method {} failed unexpectedly", spec.name(), e);
      throw new RpcFailure(
          RpcError.of(
              new StartException(ErrorKind.UNKNOWN, spec.name() + " failed: an internal error"),
              null));
    }
    return mapper.valueToTree(result);
  }

  private void checkAccess(MethodSpec<?, ?> spec, Caller caller) throws RpcFailure {
    boolean allowed =
        switch (spec.access()) {
          case PUBLIC -> true;
          case AUTHENTICATED -> caller.isAuthenticated();
          case LOCAL -> caller instanceof Caller.Local;
        };
    if (!allowed) {
      String why =
          spec.access() == Access.LOCAL
              ? spec.name() + " may only be called from the server itself (start-cli as root)"
              : spec.name() + " needs " + authenticatedBy;
      throw new RpcFailure(RpcError.of(new StartException(ErrorKind.AUTHORIZATION, why), null));
    }
  }

  /** Where in the params a mapping failed, as {@code a.b[2].c}; empty at the top. */
  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        out.append('[').append(r.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  /** The first line of a Jackson message, without the source excerpt it may append. */
  private static String describe(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message =
        e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (cause != e && cause.getMessage() != null) {
      message = cause.getMessage();
    }
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }
}
