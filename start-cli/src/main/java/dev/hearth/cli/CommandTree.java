package dev.hearth.cli;

import dev.hearth.cli.auth.AuthCommand;
import dev.hearth.cli.db.DbCommand;
import dev.hearth.cli.diagnostic.DiagnosticCommand;
import dev.hearth.cli.keys.InitCommand;
import dev.hearth.cli.keys.PubkeyCommand;
import dev.hearth.cli.notification.NotificationCommand;
import dev.hearth.cli.registry.RegistryCommand;
import dev.hearth.cli.registry.RegistryOsCommand;
import dev.hearth.cli.registry.RegistryPackageCommand;
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
import picocli.CommandLine.Model.CommandSpec;

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
          DiagnosticCommand.class,
          RegistryCommand.class,
          dev.hearth.cli.net.NetCommand.class);

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
          Map.entry(DiagnosticCommand.class, DiagnosticCommand.SUBCOMMANDS),
          Map.entry(RegistryCommand.class, RegistryCommand.SUBCOMMANDS),
          Map.entry(RegistryCommand.Info.class, RegistryCommand.Info.SUBCOMMANDS),
          Map.entry(RegistryCommand.Admin.class, RegistryCommand.Admin.SUBCOMMANDS),
          Map.entry(RegistryCommand.Signer.class, RegistryCommand.Signer.SUBCOMMANDS),
          Map.entry(RegistryPackageCommand.class, RegistryPackageCommand.SUBCOMMANDS),
          Map.entry(
              RegistryPackageCommand.PackageSigner.class,
              RegistryPackageCommand.PackageSigner.SUBCOMMANDS),
          Map.entry(
              RegistryPackageCommand.Category.class, RegistryPackageCommand.Category.SUBCOMMANDS),
          Map.entry(RegistryOsCommand.class, RegistryOsCommand.SUBCOMMANDS),
          Map.entry(RegistryOsCommand.Version.class, RegistryOsCommand.Version.SUBCOMMANDS),
          Map.entry(
              RegistryOsCommand.VersionSigner.class, RegistryOsCommand.VersionSigner.SUBCOMMANDS),
          Map.entry(RegistryOsCommand.Asset.class, RegistryOsCommand.Asset.SUBCOMMANDS),
          Map.entry(RegistryCommand.Db.class, RegistryCommand.Db.SUBCOMMANDS),
          Map.entry(RegistryCommand.Metrics.class, RegistryCommand.Metrics.SUBCOMMANDS),
          Map.entry(dev.hearth.cli.net.NetCommand.class, dev.hearth.cli.net.NetCommand.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.NetCommand.Gateway.class,
              dev.hearth.cli.net.NetCommand.Gateway.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.HostCommand.class, dev.hearth.cli.net.HostCommand.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.HostCommand.Address.class,
              dev.hearth.cli.net.HostCommand.Address.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.HostCommand.Binding.class,
              dev.hearth.cli.net.HostCommand.Binding.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.ServerHostCommand.class,
              dev.hearth.cli.net.ServerHostCommand.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.ServerHostCommand.Address.class,
              dev.hearth.cli.net.ServerHostCommand.Address.SUBCOMMANDS),
          Map.entry(
              dev.hearth.cli.net.ServerHostCommand.Binding.class,
              dev.hearth.cli.net.ServerHostCommand.Binding.SUBCOMMANDS));

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
          "-r",
          "--registry",
          "--registry-hostname",
          "--format");

  /** The command models made at build time, where there are ({@link CommandSpecs}). */
  private static final CommandSpecs GENERATED = CommandSpecs.generated();

  private CommandTree() {}

  /** The whole tree. */
  static CommandLine whole() {
    return whole(GENERATED);
  }

  /** The whole tree, its models from {@code specs} where it has them. */
  static CommandLine whole(CommandSpecs specs) {
    CommandLine root = bound(specs, new StartCli());
    addAll(specs, root, StartCli.class);
    return root;
  }

  /**
   * The path of the tree {@code args} name under {@code root}, each group on it complete where the
   * path ends.
   */
  static CommandLine forArgs(StartCli root, String... args) {
    CommandSpecs specs = GENERATED;
    CommandLine top = bound(specs, root);
    List<String> words = words(args);
    CommandLine parent = top;
    Class<?> group = StartCli.class;
    for (int depth = 0; CHILDREN.containsKey(group); depth++) {
      Class<?> named =
          depth < words.size() ? named(specs, CHILDREN.get(group), words.get(depth)) : null;
      if (named == null) {
        addChildren(specs, parent, group);
        break;
      }
      CommandLine child = created(specs, named);
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
      command =
          depth < words.size() ? named(GENERATED, CHILDREN.get(command), words.get(depth)) : null;
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

  private static @Nullable Class<?> named(
      CommandSpecs specs, List<Class<?>> candidates, String word) {
    for (Class<?> c : candidates) {
      if (names(specs, c).contains(word)) {
        return c;
      }
    }
    return null;
  }

  /** The name and aliases of {@code command}: generated, else read from its annotation. */
  private static List<String> names(CommandSpecs specs, Class<?> command) {
    List<String> generated = specs.names(command);
    if (generated != null) {
      return generated;
    }
    Command annotation = command.getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(annotation.name()));
    names.addAll(Arrays.asList(annotation.aliases()));
    return names;
  }

  private static CommandLine bound(CommandSpecs specs, Object command) {
    CommandSpec spec = specs.bind(command);
    return new CommandLine(spec != null ? spec : command);
  }

  private static CommandLine created(CommandSpecs specs, Class<?> command) {
    CommandSpec spec = specs.create(command);
    return new CommandLine(spec != null ? spec : command);
  }

  /**
   * The group's own subcommands, not theirs: all that the group's usage lists and a mistyped name's
   * suggestions compare.
   */
  private static void addChildren(CommandSpecs specs, CommandLine parent, Class<?> group) {
    for (Class<?> c : CHILDREN.getOrDefault(group, List.of())) {
      parent.addSubcommand(created(specs, c));
    }
  }

  private static void addAll(CommandSpecs specs, CommandLine parent, Class<?> group) {
    for (Class<?> c : CHILDREN.getOrDefault(group, List.of())) {
      CommandLine child = created(specs, c);
      parent.addSubcommand(child);
      addAll(specs, child, c);
    }
  }
}
