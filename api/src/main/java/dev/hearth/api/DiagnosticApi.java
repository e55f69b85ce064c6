package dev.hearth.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ServerApi.LogFollow;
import dev.hearth.api.ServerApi.LogPage;
import dev.hearth.api.ServerApi.LogsParams;
import dev.hearth.jsonrpc.Access;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import org.jspecify.annotations.Nullable;

/**
 * The diagnostic mode (rpc.md §4.9): what the server serves when it could not start, in place of
 * everything else. Every method is public there, as upstream's: without the database there is no
 * password to log in with.
 */
public final class DiagnosticApi {
  private DiagnosticApi() {}

  /** Why the server could not start: an error as JSON-RPC carries one. */
  public record ErrorInfo(int code, String message, @Nullable JsonNode data) {}

  public static final MethodSpec<Empty, ErrorInfo> ERROR =
      MethodSpec.of("diagnostic.error", Empty.class, ErrorInfo.class, "Why the server cannot start")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<LogsParams, LogPage> LOGS =
      MethodSpec.of("diagnostic.logs", LogsParams.class, LogPage.class, "The daemon's log")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<LogsParams, LogFollow> LOGS_FOLLOW =
      MethodSpec.of(
              "diagnostic.logs.follow",
              LogsParams.class,
              LogFollow.class,
              "Follow the daemon's log")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<LogsParams, LogPage> KERNEL_LOGS =
      MethodSpec.of("diagnostic.kernel-logs", LogsParams.class, LogPage.class, "The kernel's log")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<LogsParams, LogFollow> KERNEL_LOGS_FOLLOW =
      MethodSpec.of(
              "diagnostic.kernel-logs.follow",
              LogsParams.class,
              LogFollow.class,
              "Follow the kernel's log")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<Empty, Void> RESTART =
      MethodSpec.of("diagnostic.restart", Empty.class, Void.class, "Try starting the server again")
          .withAccess(Access.PUBLIC);
}
