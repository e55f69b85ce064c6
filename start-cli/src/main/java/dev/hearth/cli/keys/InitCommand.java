package dev.hearth.cli.keys;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli init key}: creates the developer key. Also answers to {@code init-key}, the
 * spelling the SDK's {@code s9pk.mk} uses.
 */
@Command(
    addMethodSubcommands = false,
    name = "init",
    aliases = "init-key",
    description = "Initialize the developer environment")
public final class InitCommand implements Runnable {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.Key.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    // `init-key` is `init key`; plain `init` needs its subcommand.
    if (spec.root().commandLine().getParseResult().originalArgs().contains("init-key")) {
      Key.create(GlobalOptions.of(spec).developerKeyPath(), spec);
      return;
    }
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: key");
  }

  /** {@code init key}. */
  @Command(
      addMethodSubcommands = false,
      name = "key",
      description =
          "Create a developer key at --developer-key-path (default ~/.startos/developer.key.pem),"
              + " mode 0600; an existing key is never replaced")
  public static final class Key implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      create(GlobalOptions.of(spec).developerKeyPath(), spec);
    }

    static void create(Path file, CommandSpec spec) {
      DeveloperKey key = DeveloperKey.generate(new SecureRandom());
      key.writeNew(file);
      spec.commandLine().getErr().println("Created developer key " + file);
      spec.commandLine().getErr().flush();
    }
  }
}
