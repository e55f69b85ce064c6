package dev.hearth.cli.s9pk;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code start-cli s9pk}: package files. */
@Command(
    name = "s9pk",
    description = "Package files (.s9pk)",
    subcommands = {
      PackCommand.class,
      ListIngredientsCommand.class,
      InspectCommand.class,
      EditCommand.class,
      SelectCommand.class,
      ConvertCommand.class,
    })
public final class S9pkCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
