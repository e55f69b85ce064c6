package dev.hearth.api;

import dev.hearth.jsonrpc.Access;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.Objects;

/** Methods at the root of the tree (rpc.md §4.1). */
public final class RootApi {
  private RootApi() {}

  public record EchoParams(String message) {
    public EchoParams {
      Objects.requireNonNull(message, "message");
    }
  }

  public static final MethodSpec<EchoParams, String> ECHO =
      MethodSpec.of("echo", EchoParams.class, String.class, "Answers with the message it was sent")
          .withAccess(Access.PUBLIC);

  /** {@code "running"}; before setup, as upstream, the method does not exist (-32601). */
  public static final MethodSpec<Empty, String> STATE =
      MethodSpec.of("state", Empty.class, String.class, "The server's mode")
          .withAccess(Access.PUBLIC);
}
