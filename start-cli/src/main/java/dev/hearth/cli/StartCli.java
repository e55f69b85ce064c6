package dev.hearth.cli;

import dev.hearth.cli.auth.AuthCommand;
import dev.hearth.cli.db.DbCommand;
import dev.hearth.cli.diagnostic.DiagnosticCommand;
import dev.hearth.cli.keys.InitCommand;
import dev.hearth.cli.keys.PubkeyCommand;
import dev.hearth.cli.notification.NotificationCommand;
import dev.hearth.cli.s9pk.S9pkCommand;
import dev.hearth.cli.server.ServerCommand;
import dev.hearth.cli.service.PackageCommand;
import dev.hearth.cli.util.UtilCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code start-cli}: the command line of Hearth. Command names and flags are upstream's, so scripts
 * written for StartOS's {@code start-cli} (such as the SDK's {@code s9pk.mk}) work.
 *
 * <p>Each subcommand group is one class in its own package: it parses, calls a library or the RPC
 * client, and formats; business logic lives in the libraries and the daemon.
 */
@Command(
    name = "start-cli",
    mixinStandardHelpOptions = true,
    versionProvider = StartCli.Version.class,
    description = "Command line for Hearth, a StartOS-compatible personal server.",
    subcommands = {
      EchoCommand.class,
      StateCommand.class,
      AuthCommand.class,
      ServerCommand.class,
      PackageCommand.class,
      NotificationCommand.class,
      DbCommand.class,
      InitCommand.class,
      PubkeyCommand.class,
      S9pkCommand.class,
      UtilCommand.class,
      DiagnosticCommand.class,
    })
public final class StartCli implements Runnable {
  @Mixin GlobalOptions globals;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by {@link #main} and by tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command tree: errors become one clear line on stderr and exit code 1. */
  public static CommandLine commandLine() {
    var cli = new CommandLine(new StartCli());
    cli.setExecutionExceptionHandler(new Failure());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = StartCli.class.getPackage().getImplementationVersion();
      return new String[] {"start-cli (Hearth) " + (v == null ? "development build" : v)};
    }
  }
}
