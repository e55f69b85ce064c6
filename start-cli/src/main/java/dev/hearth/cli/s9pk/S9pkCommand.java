package dev.hearth.cli.s9pk;

import picocli.CommandLine.Command;

/** Placeholder until the "S9PK v2 packages" work fills it in. */
@Command(name = "s9pk", description = "Package file")
public final class S9pkCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("start-cli s9pk is not written yet");
  }
}
