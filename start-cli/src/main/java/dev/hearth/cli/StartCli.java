package dev.hearth.cli;

import dev.hearth.cli.connect.HeadStart;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli}: the command line of Hearth. Command names and flags are upstream's, so scripts
 * written for StartOS's {@code start-cli} (such as the SDK's {@code s9pk.mk}) work.
 *
 * <p>Each subcommand group is one class in its own package: it parses, calls a library or the RPC
 * client, and formats; business logic lives in the libraries and the daemon.
 */
@Command(
    addMethodSubcommands = false,
    name = "start-cli",
    versionProvider = StartCli.Version.class,
    description = "Command line for Hearth, a StartOS-compatible personal server.")
public final class StartCli implements Runnable {
  @Mixin GlobalOptions globals;

  // -h/--help is a global option (GlobalOptions), so that every subcommand has it; the version is
  // the root's alone (package install has a --version of its own).
  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and exit.")
  boolean versionRequested;

  @Spec CommandSpec spec;
  private @Nullable HeadStart headStart;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    if (CommandTree.callsServer(args)) { // util and s9pk hash and read files: the core is theirs
      Thread.ofPlatform().daemon().name("preload").start(StartCli::preload);
    }
    System.exit(run(args));
  }

  /**
   * Runs, beside the parsing on the main thread, the static initializers a call needs that cost the
   * most while still interpreted: Jackson's streaming factory and its parser base, whose constants
   * initialize {@link java.math.BigDecimal} (in JDK 25 that computes 5^65536). On two cores the
   * call then finds them done. Only commands that call the server start it: for the others (util,
   * s9pk) it only took CPU from their own start. The calls on a script's path make no mapper at all
   * ({@link dev.hearth.jsonrpc.JsonTree}).
   */
  private static void preload() {
    try {
      ClassLoader loader = StartCli.class.getClassLoader();
      Class.forName("dev.hearth.cli.connect.Connection", true, loader);
      Class.forName("dev.hearth.jsonrpc.JsonTree", true, loader);
      Class.forName("com.fasterxml.jackson.core.base.ParserMinimalBase", true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // the command that needs them reports the problem
    }
  }

  /**
   * Runs one command line and returns its exit code; used by {@link #main} and by tests. A command
   * that calls the server finds the connection opened while picocli read the line ({@link
   * HeadStart}).
   */
  public static int run(String... args) {
    var root = new StartCli();
    if (CommandTree.callsServer(args)) {
      root.headStart = HeadStart.begin(args);
    }
    try {
      return configure(CommandTree.forArgs(root, args)).execute(args);
    } finally {
      if (root.headStart != null) {
        root.headStart.close();
      }
    }
  }

  /** The connection opened for this command line's call, once; null when there is none. */
  public @Nullable HeadStart takeHeadStart() {
    HeadStart head = headStart;
    headStart = null;
    return head;
  }

  /** The whole configured command tree: errors become one clear line on stderr and exit code 1. */
  public static CommandLine commandLine() {
    return configure(CommandTree.whole());
  }

  /** The configured part of the command tree that {@code args} need ({@link CommandTree}). */
  public static CommandLine commandLine(String... args) {
    return configure(CommandTree.forArgs(new StartCli(), args));
  }

  private static CommandLine configure(CommandLine cli) {
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
