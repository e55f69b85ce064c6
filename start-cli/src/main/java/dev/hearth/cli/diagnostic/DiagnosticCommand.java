package dev.hearth.cli.diagnostic;

import dev.hearth.api.DiagnosticApi;
import dev.hearth.api.ServerApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.cli.server.ServerCommand;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code start-cli diagnostic …} (rpc.md §4.9): what a server that could not start serves instead
 * (its state is then {@code error}): why, its logs, and another try.
 */
@Command(
    addMethodSubcommands = false,
    name = "diagnostic",
    description = "A server that could not start: why, its logs, a restart")
public final class DiagnosticCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          DiagnosticCommand.Error.class,
          DiagnosticCommand.Logs.class,
          DiagnosticCommand.KernelLogs.class,
          DiagnosticCommand.Restart.class);

  @Command(
      addMethodSubcommands = false,
      name = "error",
      description = "Why the server could not start")
  public static final class Error extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      DiagnosticApi.ErrorInfo e = client.call(DiagnosticApi.ERROR, Empty.INSTANCE);
      if (format(OutputFormat.table) == OutputFormat.json) {
        Output.json(System.out, e);
      } else {
        System.out.println("error " + e.code() + ": " + e.message());
      }
    }
  }

  @Command(addMethodSubcommands = false, name = "logs", description = "The daemon's log")
  public static final class Logs extends ServerCommand.ServerLogCommand {
    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page() {
      return DiagnosticApi.LOGS;
    }

    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return DiagnosticApi.LOGS_FOLLOW;
    }
  }

  @Command(addMethodSubcommands = false, name = "kernel-logs", description = "The kernel's log")
  public static final class KernelLogs extends ServerCommand.ServerLogCommand {
    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page() {
      return DiagnosticApi.KERNEL_LOGS;
    }

    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return DiagnosticApi.KERNEL_LOGS_FOLLOW;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "restart",
      description = "Restart the server to try again")
  public static final class Restart extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      client.call(DiagnosticApi.RESTART, Empty.INSTANCE);
      System.out.println("The server is restarting");
    }
  }
}
