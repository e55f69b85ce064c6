package dev.hearth.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hearth.api.DisplayedStatus;
import dev.hearth.api.PackageApi;
import dev.hearth.api.ServerApi;
import dev.hearth.cli.LogCommand;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli package …} (rpc.md §4.4). */
@Command(
    addMethodSubcommands = false,
    name = "package",
    description = "Services: install, run, act on, read")
public final class PackageCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          PackageCommand.ListPackages.class,
          InstallCommand.class,
          PackageCommand.Start.class,
          PackageCommand.Stop.class,
          PackageCommand.Restart.class,
          PackageCommand.Uninstall.class,
          PackageCommand.Logs.class,
          AttachCommand.class,
          PackageCommand.Stats.class,
          PackageCommand.Rebuild.class,
          PackageCommand.InstalledVersion.class,
          PackageCommand.CancelInstall.class,
          ActionCommand.class,
          dev.hearth.cli.net.HostCommand.class);

  PackageCommand() {} // made by the command models (CommandSpecs)

  @Command(
      addMethodSubcommands = false,
      name = "list",
      description = "Installed packages and their state")
  public static final class ListPackages extends RpcCommand {
    /** {@code PackageApi.LIST}, called by name (see {@link RpcCommand#callAndPrint}). */
    public static final String METHOD = "package.list";

    /** {@code DbApi.DUMP}, called by name. */
    public static final String DUMP = "db.dump";

    @Override
    protected void run(RpcClient client) {
      JsonNode list = client.call(METHOD, params());
      Output.print(
          spec,
          OutputFormat.table,
          list,
          () -> table(list, list.isEmpty() ? MissingNode.getInstance() : packageData(client)));
    }

    /**
     * What a person wants to know, as the UI shows it: running or not, healthy or not. The JSON
     * output stays package.list's.
     */
    private static void table(JsonNode list, JsonNode packages) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode p : list) {
        String id = p.path("id").asText();
        String version = p.path("version").asText();
        JsonNode entry = packages.path(id);
        rows.add(
            entry.isObject()
                ? List.of(
                    id,
                    version,
                    DisplayedStatus.of(entry),
                    DisplayedStatus.health(entry),
                    DisplayedStatus.error(entry))
                : List.of(id, version, p.path("status").asText(), "-", ""));
      }
      // Why a service is not running is shown where it is listed; the column only when needed.
      boolean errors = rows.stream().anyMatch(r -> !r.get(4).isEmpty());
      Output.table(
          System.out,
          errors
              ? List.of("ID", "VERSION", "STATUS", "HEALTH", "ERROR")
              : List.of("ID", "VERSION", "STATUS", "HEALTH"),
          errors ? rows : rows.stream().map(r -> r.subList(0, 4)).toList());
    }

    /** The public model's packageData; missing if it cannot be read (rows then say less). */
    private static JsonNode packageData(RpcClient client) {
      try {
        return client.call(DUMP, params("pointer", "/public/packageData")).path("value");
      } catch (StartException e) {
        return MissingNode.getInstance();
      }
    }
  }

  /** A command that takes one package id and calls one method with it. */
  abstract static class ById extends RpcCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The package id")
    String id;

    abstract MethodSpec<PackageApi.IdParams, Void> method();

    @Override
    protected void run(RpcClient client) {
      client.call(method(), new PackageApi.IdParams(id));
    }
  }

  @Command(addMethodSubcommands = false, name = "start", description = "Start a service")
  public static final class Start extends RpcCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The package id")
    String id;

    @Option(names = "--force", description = "Start even though a critical task is pending")
    boolean force;

    @Override
    protected void run(RpcClient client) {
      client.call(PackageApi.START, new PackageApi.StartParams(id, force));
    }
  }

  @Command(addMethodSubcommands = false, name = "stop", description = "Stop a service")
  public static final class Stop extends ById {
    @Override
    MethodSpec<PackageApi.IdParams, Void> method() {
      return PackageApi.STOP;
    }
  }

  @Command(addMethodSubcommands = false, name = "restart", description = "Restart a service")
  public static final class Restart extends ById {
    @Override
    MethodSpec<PackageApi.IdParams, Void> method() {
      return PackageApi.RESTART;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "rebuild",
      description = "Tear down a service's container and load it again")
  public static final class Rebuild extends ById {
    @Override
    MethodSpec<PackageApi.IdParams, Void> method() {
      return PackageApi.REBUILD;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "cancel-install",
      description = "Stop an install in progress")
  public static final class CancelInstall extends ById {
    @Override
    MethodSpec<PackageApi.IdParams, Void> method() {
      return PackageApi.CANCEL_INSTALL;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "uninstall",
      description = "Remove a service (in the background)")
  public static final class Uninstall extends RpcCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The package id")
    String id;

    @Option(names = "--soft", description = "Keep the service's data")
    boolean soft;

    @Option(names = "--force", description = "Clean up even if the service cannot uninit")
    boolean force;

    @Override
    protected void run(RpcClient client) {
      client.call(PackageApi.UNINSTALL, new PackageApi.UninstallParams(id, soft, force));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "installed-version",
      description = "The installed version, or nothing")
  public static final class InstalledVersion extends RpcCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The package id")
    String id;

    @Override
    protected void run(RpcClient client) {
      callAndPrint(client, PackageApi.INSTALLED_VERSION, new PackageApi.IdParams(id));
    }
  }

  @Command(addMethodSubcommands = false, name = "logs", description = "A service's log")
  public static final class Logs extends LogCommand<PackageApi.LogsParams> {
    @Parameters(index = "0", paramLabel = "ID", description = "The package id")
    String id;

    @Override
    protected PackageApi.LogsParams params(ServerApi.LogsParams w) {
      return new PackageApi.LogsParams(id, w.limit(), w.cursor(), w.boot(), w.before());
    }

    @Override
    protected MethodSpec<PackageApi.LogsParams, ServerApi.LogPage> page() {
      return PackageApi.LOGS;
    }

    @Override
    protected MethodSpec<PackageApi.LogsParams, ServerApi.LogFollow> followMethod() {
      return PackageApi.LOGS_FOLLOW;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "stats",
      description = "Memory use of each running service's container")
  public static final class Stats extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      Map<String, PackageApi.Stats> stats = client.call(PackageApi.STATS, Empty.INSTANCE);
      Output.print(spec, OutputFormat.table, stats, () -> table(stats));
    }

    private static void table(Map<String, PackageApi.Stats> stats) {
      List<List<String>> rows = new ArrayList<>();
      // A service without a running container has null stats (rpc.md §4.4).
      stats.forEach((id, s) ->
          rows.add(
              s == null
                  ? List.of(id, "-", "-", "-")
                  : List.of(id, s.containerId(), mib(s.memoryUsage()), mib(s.memoryLimit()))));
      Output.table(System.out, List.of("ID", "CONTAINER", "MEMORY", "LIMIT"), rows);
    }

    private static String mib(double value) {
      return String.format(Locale.ROOT, "%.1f MiB", value);
    }
  }
}
