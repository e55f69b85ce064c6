package dev.hearth.cli.keys;

import picocli.CommandLine.Command;

/** Placeholder until the "S9PK v2 packages" work fills it in. */
@Command(name = "init", description = "Initialize things")
public final class InitCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("start-cli init is not written yet");
  }
}
