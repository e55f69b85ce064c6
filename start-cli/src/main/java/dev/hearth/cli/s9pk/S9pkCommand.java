package dev.hearth.cli.s9pk;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code start-cli s9pk}: package files. */
@Command(addMethodSubcommands = false, name = "s9pk", description = "Package files (.s9pk)")
public final class S9pkCommand implements Runnable {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          PackCommand.class,
          ListIngredientsCommand.class,
          InspectCommand.class,
          EditCommand.class,
          SelectCommand.class,
          ConvertCommand.class,
          PublishCommand.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
