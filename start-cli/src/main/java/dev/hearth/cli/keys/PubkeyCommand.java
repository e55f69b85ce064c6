package dev.hearth.cli.keys;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.SignerKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code start-cli pubkey}: the developer key's public key, as PEM (or a JSON string). */
@Command(
    addMethodSubcommands = false,
    name = "pubkey",
    description = "Print the developer public key (PEM)")
public final class PubkeyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    GlobalOptions globals = GlobalOptions.of(spec);
    SignerKey pub = DeveloperKey.read(globals.developerKeyPath()).publicKey();
    if (globals.format(OutputFormat.table) == OutputFormat.json) {
      Output.json(System.out, pub.pem());
    } else {
      System.out.print(pub.pem());
      System.out.flush();
    }
  }
}
