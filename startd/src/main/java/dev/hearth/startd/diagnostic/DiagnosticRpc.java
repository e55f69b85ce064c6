package dev.hearth.startd.diagnostic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.DiagnosticApi;
import dev.hearth.api.RootApi;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.system.KernelLog;
import dev.hearth.startd.system.LogStore;
import dev.hearth.startd.system.LogStreams;
import dev.hearth.startd.system.Power;

/**
 * Binds what the server answers in diagnostic mode: {@code state} ({@code "error"}), the error that
 * stopped it, its logs and the kernel's, and a restart. Nothing else is there: every other method
 * is -32601, as in upstream's diagnostic mode.
 */
public final class DiagnosticRpc {
  private DiagnosticRpc() {}

  public static void bind(
      RpcTree.Builder tree,
      StartException failure,
      LogStore logs,
      KernelLog kernel,
      LogStreams streams,
      Power power,
      ObjectMapper mapper) {
    DiagnosticApi.ErrorInfo error =
        new DiagnosticApi.ErrorInfo(
            failure.kind().code,
            String.valueOf(failure.getMessage()),
            failure.info() == null ? null : mapper.valueToTree(failure.info()));
    tree.bind(RootApi.STATE, (ctx, p) -> "error")
        .bind(DiagnosticApi.ERROR, (ctx, p) -> error)
        .bind(
            DiagnosticApi.LOGS,
            (ctx, p) -> logs.read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before())))
        .bind(DiagnosticApi.LOGS_FOLLOW, (ctx, p) -> streams.followLogs(logs, p, null))
        .bind(
            DiagnosticApi.KERNEL_LOGS,
            (ctx, p) ->
                kernel.read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before())))
        .bind(DiagnosticApi.KERNEL_LOGS_FOLLOW, (ctx, p) -> streams.followKernel(null))
        .bind(
            DiagnosticApi.RESTART,
            (ctx, p) -> {
              power.restart();
              return null;
            });
  }
}
