package dev.hearth.cli;

import dev.hearth.cli.auth.AuthCommand;
import dev.hearth.cli.db.DbCommand;
import dev.hearth.cli.diagnostic.DiagnosticCommand;
import dev.hearth.cli.keys.InitCommand;
import dev.hearth.cli.keys.PubkeyCommand;
import dev.hearth.cli.notification.NotificationCommand;
import dev.hearth.cli.s9pk.EditCommand;
import dev.hearth.cli.s9pk.InspectCommand;
import dev.hearth.cli.s9pk.S9pkCommand;
import dev.hearth.cli.server.ServerCommand;
import dev.hearth.cli.service.ActionCommand;
import dev.hearth.cli.service.PackageCommand;
import dev.hearth.cli.util.UtilCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command tree of {@code start-cli}, and the part of it one command line needs.
 *
 * <p>Subcommands are listed here (each group's {@code SUBCOMMANDS}), not in the {@code @Command}
 * annotations: picocli reads every annotation of every command it is given, each annotation type a
 * proxy class made at run time, and a script's call needs one path of about 90 commands. {@link
 * #forArgs} builds that path, and a group's every child only where the words stop naming one
 * (usage, a group's own positional, a mistyped name whose suggestions need them all).
 */
final class CommandTree {
  /** The top-level commands. */
  static final List<Class<?>> TOP =
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

  /** Each group and its subcommands. */
  private static final Map<Class<?>, List<Class<?>>> CHILDREN =
      Map.ofEntries(
          Map.entry(StartCli.class, TOP),
          Map.entry(AuthCommand.class, AuthCommand.SUBCOMMANDS),
          Map.entry(AuthCommand.Session.class, AuthCommand.Session.SUBCOMMANDS),
          Map.entry(ServerCommand.class, ServerCommand.SUBCOMMANDS),
          Map.entry(PackageCommand.class, PackageCommand.SUBCOMMANDS),
          Map.entry(ActionCommand.class, ActionCommand.SUBCOMMANDS),
          Map.entry(NotificationCommand.class, NotificationCommand.SUBCOMMANDS),
          Map.entry(DbCommand.class, DbCommand.SUBCOMMANDS),
          Map.entry(InitCommand.class, InitCommand.SUBCOMMANDS),
          Map.entry(S9pkCommand.class, S9pkCommand.SUBCOMMANDS),
          Map.entry(InspectCommand.class, InspectCommand.SUBCOMMANDS),
          Map.entry(EditCommand.class, EditCommand.SUBCOMMANDS),
          Map.entry(UtilCommand.class, UtilCommand.SUBCOMMANDS),
          Map.entry(DiagnosticCommand.class, DiagnosticCommand.SUBCOMMANDS));

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

  private CommandTree() {}

  /** The whole tree. */
  static CommandLine whole() {
    CommandLine root = new CommandLine(new StartCli());
    addAll(root, StartCli.class);
    return root;
  }

  /**
   * The path of the tree {@code args} name under {@code root}, each group on it complete where the
   * path ends.
   */
  static CommandLine forArgs(StartCli root, String... args) {
    CommandLine top = new CommandLine(root);
    List<String> words = words(args);
    CommandLine parent = top;
    Class<?> group = StartCli.class;
    for (int depth = 0; CHILDREN.containsKey(group); depth++) {
      Class<?> named = depth < words.size() ? named(CHILDREN.get(group), words.get(depth)) : null;
      if (named == null) {
        addAll(parent, group);
        break;
      }
      CommandLine child = new CommandLine(named);
      parent.addSubcommand(child);
      parent = child;
      group = named;
    }
    return top;
  }

  /** Whether the command {@code args} name is one that calls the server ({@link RpcCommand}). */
  static boolean callsServer(String... args) {
    List<String> words = words(args);
    Class<?> command = StartCli.class;
    for (int depth = 0; CHILDREN.containsKey(command); depth++) {
      command = depth < words.size() ? named(CHILDREN.get(command), words.get(depth)) : null;
      if (command == null) {
        return false;
      }
    }
    return RpcCommand.class.isAssignableFrom(command);
  }

  /** The words of a command line that are neither options nor a global option's value. */
  static List<String> words(String... args) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (!a.startsWith("-")) {
        words.add(a);
      } else if (VALUED_GLOBALS.contains(a)) {
        i++;
      }
    }
    return words;
  }

  private static @Nullable Class<?> named(List<Class<?>> candidates, String word) {
    for (Class<?> c : candidates) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(word) || Arrays.asList(command.aliases()).contains(word)) {
        return c;
      }
    }
    return null;
  }

  private static void addAll(CommandLine parent, Class<?> group) {
    for (Class<?> c : CHILDREN.getOrDefault(group, List.of())) {
      CommandLine child = new CommandLine(c);
      parent.addSubcommand(child);
      addAll(child, c);
    }
  }
}
