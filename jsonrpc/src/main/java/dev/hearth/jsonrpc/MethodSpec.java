package dev.hearth.jsonrpc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One RPC method, declared once: its dotted kebab-case name (rpc.md §1.2), the record its params
 * deserialize into, the type of its result, who may call it, and whether it changes the database
 * (then the response carries {@code X-Patch-Sequence}). Servers bind a handler to it; clients call
 * it by it; both use the same declaration, so they cannot drift apart.
 */
public record MethodSpec<P, R>(
    String name,
    Class<P> params,
    JavaType result,
    Access access,
    boolean syncDb,
    String description) {

  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)*");

  public MethodSpec {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(access, "access");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "method names are dot-separated kebab-case segments: \"" + name + "\"");
    }
  }

  /** A method only authenticated callers may use, that does not change the database. */
  public static <P, R> MethodSpec<P, R> of(
      String name, Class<P> params, Class<R> result, String description) {
    return new MethodSpec<>(
        name,
        params,
        TypeFactory.defaultInstance().constructType(result),
        Access.AUTHENTICATED,
        false,
        description);
  }

  /** As {@link #of(String, Class, Class, String)}, for a generic result type. */
  public static <P, R> MethodSpec<P, R> of(
      String name, Class<P> params, TypeReference<R> result, String description) {
    return new MethodSpec<>(
        name,
        params,
        TypeFactory.defaultInstance().constructType(result),
        Access.AUTHENTICATED,
        false,
        description);
  }

  public MethodSpec<P, R> withAccess(Access newAccess) {
    return new MethodSpec<>(name, params, result, newAccess, syncDb, description);
  }

  /** Marks the method as changing the database. */
  public MethodSpec<P, R> syncingDb() {
    return new MethodSpec<>(name, params, result, access, true, description);
  }
}
