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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
    description = "Command line for Hearth, a StartOS-compatible personal server.")
public final class StartCli implements Runnable {
  /**
   * The top-level commands. Not in the annotation: picocli reads the annotations of a whole tree
   * when it is built (about 75 classes, each with annotation proxies), and one command line needs
   * one branch, so {@link #commandLine(String...)} adds only the branch it names.
   */
  private static final List<Class<?>> COMMANDS =
      List.of(
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
          DiagnosticCommand.class);

  /** Global options that take a value as the next argument (see {@link GlobalOptions}). */
  private static final Set<String> VALUED_GLOBALS =
      Set.of(
          "-H",
          "--host",
          "-c",
          "--config",
          "--cookie-path",
          "--ca",
          "--developer-key-path",
          "--format");

  @Mixin GlobalOptions globals;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    Thread.ofPlatform().daemon().name("preload").start(StartCli::preload);
    System.exit(run(args));
  }

  /**
   * Runs, beside the parsing on the main thread, the static initializers a call needs that cost the
   * most while still interpreted: Jackson's mapper (its date format builds a calendar from the
   * locale data) and its parser base, whose constants initialize {@link java.math.BigDecimal} (in
   * JDK 25 that computes 5^65536). On two cores the call then finds them done; a command that needs
   * neither only spent an idle core.
   */
  private static void preload() {
    try {
      ClassLoader loader = StartCli.class.getClassLoader();
      Class.forName("dev.hearth.cli.connect.Connection", true, loader);
      Class.forName("com.fasterxml.jackson.core.base.ParserMinimalBase", true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // the command that needs them reports the problem
    }
  }

  /** Runs one command line and returns its exit code; used by {@link #main} and by tests. */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** The whole configured command tree: errors become one clear line on stderr and exit code 1. */
  public static CommandLine commandLine() {
    return configure(COMMANDS);
  }

  /**
   * The command tree {@code args} needs: the branch of the command they name, or the whole tree
   * when they name none (usage, or a mistyped command whose suggestions need every name).
   */
  public static CommandLine commandLine(String... args) {
    String name = commandName(args);
    for (Class<?> c : COMMANDS) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
        return configure(List.of(c));
      }
    }
    return configure(COMMANDS);
  }

  /** The first argument that is neither a global option nor a global option's value. */
  static @Nullable String commandName(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-")) {
        return a;
      }
      if (VALUED_GLOBALS.contains(a)) {
        i++;
      }
    }
    return null;
  }

  private static CommandLine configure(List<Class<?>> commands) {
    var cli = new CommandLine(new StartCli());
    for (Class<?> c : commands) {
      cli.addSubcommand(c);
    }
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
