package dev.hearth.cli.util;

import picocli.CommandLine.Command;

/** Placeholder until the "S9PK v2 packages" work fills it in. */
@Command(name = "util", description = "Utilities")
public final class UtilCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("start-cli util is not written yet");
  }
}
