package dev.hearth.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ServerApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.cli.connect.Connection;
import dev.hearth.cli.connect.Streams;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code start-cli server …} (rpc.md §4.3). */
@Command(
    name = "server",
    description = "The server: clock, hardware, metrics, logs, name, power",
    subcommands = {
      ServerCommand.Time.class,
      ServerCommand.DeviceInfo.class,
      ServerCommand.Metrics.class,
      ServerCommand.Logs.class,
      ServerCommand.KernelLogs.class,
      ServerCommand.SetHostname.class,
      ServerCommand.Restart.class,
      ServerCommand.Shutdown.class
    })
public final class ServerCommand {
  @Command(name = "time", description = "The server's clock and uptime")
  public static final class Time extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      ServerApi.Time t = client.call(ServerApi.TIME, Empty.INSTANCE);
      if (format(OutputFormat.table) == OutputFormat.json) {
        Output.json(System.out, t);
      } else {
        System.out.println(t.now() + "  (up " + t.uptime() + " s)");
      }
    }
  }

  @Command(name = "device-info", description = "OS and hardware")
  public static final class DeviceInfo extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      callAndPrint(client, ServerApi.DEVICE_INFO, Empty.INSTANCE);
    }
  }

  @Command(name = "metrics", description = "CPU, memory, disk and temperature")
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

  /** The options both log commands take (rpc.md §4.3). */
  abstract static class LogCommand extends RpcCommand {
    @Option(names = "--limit", description = "How many entries")
    Integer limit;

    @Option(names = "--cursor", description = "Start after (or, with --before, before) this entry")
    String cursor;

    @Option(names = "--boot", description = "A boot id, or 0 for this boot, -1 the previous, …")
    String boot;

    @Option(names = "--before", description = "Page backwards from the cursor")
    boolean before;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing new entries")
    boolean follow;

    abstract MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page();

    abstract MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod();

    @Override
    protected void run(RpcClient client) throws InterruptedException {
      var params = new ServerApi.LogsParams(limit, cursor, boot, before);
      boolean json = format(OutputFormat.table) == OutputFormat.json;
      if (follow) {
        ServerApi.LogFollow f = client.call(followMethod(), params);
        Streams.follow(client, f.guid(), System.out, frame -> json ? frame : line(frame));
        return;
      }
      ServerApi.LogPage page = client.call(page(), params);
      if (json) {
        Output.json(System.out, page);
      } else {
        page.entries().forEach(e -> System.out.println(e.timestamp() + " " + e.message()));
      }
    }

    private static String line(String frame) {
      try {
        JsonNode e = Connection.JSON.readTree(frame);
        return e.path("timestamp").asText() + " " + e.path("message").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Command(name = "logs", description = "The daemon's log")
  public static final class Logs extends LogCommand {
    @Override
    MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page() {
      return ServerApi.LOGS;
    }

    @Override
    MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return ServerApi.LOGS_FOLLOW;
    }
  }

  @Command(name = "kernel-logs", description = "The kernel's log")
  public static final class KernelLogs extends LogCommand {
    @Override
    MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> page() {
      return ServerApi.KERNEL_LOGS;
    }

    @Override
    MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return ServerApi.KERNEL_LOGS_FOLLOW;
    }
  }

  @Command(name = "set-hostname", description = "Rename the server")
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

  @Command(name = "restart", description = "Restart the server")
  public static final class Restart extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      client.call(ServerApi.RESTART, new ServerApi.PowerParams(null));
      System.out.println("The server is restarting");
    }
  }

  @Command(name = "shutdown", description = "Power the server off")
  public static final class Shutdown extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      client.call(ServerApi.SHUTDOWN, new ServerApi.PowerParams(null));
      System.out.println("The server is shutting down");
    }
  }
}
