package dev.hearth.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ServerApi;
import dev.hearth.cli.LogCommand;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.cli.connect.Streams;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code start-cli server …} (rpc.md §4.3). */
@Command(
    addMethodSubcommands = false,
    name = "server",
    description = "The server: clock, hardware, metrics, logs, name, power, containers")
public final class ServerCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          ServerCommand.Time.class,
          ServerCommand.DeviceInfo.class,
          ServerCommand.Metrics.class,
          ServerCommand.Logs.class,
          ServerCommand.KernelLogs.class,
          ServerCommand.SetHostname.class,
          ServerCommand.Restart.class,
          ServerCommand.Rebuild.class,
          ServerCommand.Shutdown.class,
          dev.hearth.cli.net.ServerHostCommand.class);

  @Command(
      addMethodSubcommands = false,
      name = "time",
      description = "The server's clock and uptime")
  public static final class Time extends RpcCommand {
    /** {@code ServerApi.TIME}, called by name (see {@link RpcCommand#callAndPrint}). */
    public static final String METHOD = "server.time";

    @Override
    protected void run(RpcClient client) {
      JsonNode t = client.call(METHOD, params());
      if (format(OutputFormat.table) == OutputFormat.json) {
        Output.json(System.out, t);
      } else {
        System.out.println(t.path("now").asText() + "  (up " + t.path("uptime").asText() + " s)");
      }
    }
  }

  @Command(addMethodSubcommands = false, name = "device-info", description = "OS and hardware")
  public static final class DeviceInfo extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      callAndPrint(client, ServerApi.DEVICE_INFO, Empty.INSTANCE);
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "metrics",
      description = "CPU, memory, disk and temperature")
  public static final class Metrics extends RpcCommand {
    @Option(names = "--follow", description = "Keep printing metrics as the server sends them")
    boolean follow;

    @Override
    protected void run(RpcClient client) throws InterruptedException {
      if (!follow) {
        callAndPrint(client, ServerApi.METRICS, Empty.INSTANCE);
        return;
      }
      ServerApi.MetricsFollow f = client.call(ServerApi.METRICS_FOLLOW, Empty.INSTANCE);
      Output.json(System.out, f.metrics());
      Streams.follow(client, f.guid(), System.out, frame -> frame);
    }
  }

  /** The server's logs take the window as it is (rpc.md §4.3); so do the diagnostic mode's. */
  public abstract static class ServerLogCommand extends LogCommand<ServerApi.LogsParams> {
    @Override
    protected ServerApi.LogsParams params(ServerApi.LogsParams window) {
      return window;
    }
  }

  @Command(addMethodSubcommands = false, name = "logs", description = "The daemon's log")
  public static final class Logs extends ServerLogCommand {
    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page() {
      return ServerApi.LOGS;
    }

    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return ServerApi.LOGS_FOLLOW;
    }
  }

  @Command(addMethodSubcommands = false, name = "kernel-logs", description = "The kernel's log")
  public static final class KernelLogs extends ServerLogCommand {
    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page() {
      return ServerApi.KERNEL_LOGS;
    }

    @Override
    protected MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return ServerApi.KERNEL_LOGS_FOLLOW;
    }
  }

  @Command(addMethodSubcommands = false, name = "set-hostname", description = "Rename the server")
  public static final class SetHostname extends RpcCommand {
    @Option(names = "--name", description = "The display name, e.g. \"My Cool Server\"")
    String name;

    @Option(names = "--hostname", description = "The mDNS name, e.g. my-cool-server")
    String hostname;

    @Override
    protected void run(RpcClient client) {
      client.call(ServerApi.SET_HOSTNAME, new ServerApi.SetHostnameParams(name, hostname));
    }
  }

  @Command(addMethodSubcommands = false, name = "restart", description = "Restart the server")
  public static final class Restart extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      client.call(ServerApi.RESTART, new ServerApi.PowerParams(null));
      System.out.println("The server is restarting");
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "rebuild",
      description = "Tear down every service's container and load it again")
  public static final class Rebuild extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      client.call(ServerApi.REBUILD, Empty.INSTANCE);
    }
  }

  @Command(addMethodSubcommands = false, name = "shutdown", description = "Power the server off")
  public static final class Shutdown extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      client.call(ServerApi.SHUTDOWN, new ServerApi.PowerParams(null));
      System.out.println("The server is shutting down");
    }
  }
}
