package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.v1.Conversion;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code start-cli s9pk convert FILE}: a v1 package rebuilt as v2 and signed (import only). */
@Command(
    addMethodSubcommands = false,
    name = "convert",
    description = "Convert an S9PK v1 package to v2, signed with the developer key")
public final class ConvertCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The v1 .s9pk")
  Path file;

  @Option(
      names = {"-o", "--output"},
      description = "Where to write the v2 package (default: FILE with .v2.s9pk)")
  @Nullable Path output;

  @Override
  public void run() {
    DeveloperKey key = DeveloperKey.read(GlobalOptions.of(spec).developerKeyPath());
    String name = file.getFileName().toString().replaceFirst("\\.s9pk$", "");
    Conversion.convert(file, output != null ? output : file.resolveSibling(name + ".v2.s9pk"), key);
  }
}
