package dev.hearth.cli.util;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.s9pk.hash.Blake3;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code start-cli util b3sum FILE}: the file's BLAKE3 hash in hex. */
@Command(
    addMethodSubcommands = false,
    name = "b3sum",
    description = "Print the BLAKE3 hash of a file (hex)")
public final class B3sumCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "File to hash")
  Path file;

  @Option(names = "--no-mmap", description = "Read the file instead of mapping it into memory")
  boolean noMmap;

  @Override
  public void run() {
    String hex = Blake3.hashFile(file, noMmap ? Blake3.FileRead.READ : Blake3.FileRead.MMAP).hex();
    if (GlobalOptions.of(spec).format(OutputFormat.table) == OutputFormat.json) {
      Output.json(System.out, hex);
    } else {
      System.out.println(hex);
    }
  }
}
