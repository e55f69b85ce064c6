package dev.hearth.cli.util;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code start-cli util}: utilities. */
@Command(name = "util", description = "Utilities", subcommands = B3sumCommand.class)
public final class UtilCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
