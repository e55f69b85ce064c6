package dev.hearth.cli.keys;

import picocli.CommandLine.Command;

/** Placeholder until the "S9PK v2 packages" work fills it in. */
@Command(name = "pubkey", description = "Print the developer public key")
public final class PubkeyCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("start-cli pubkey is not written yet");
  }
}
