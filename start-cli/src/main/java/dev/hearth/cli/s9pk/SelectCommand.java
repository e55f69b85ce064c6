package dev.hearth.cli.s9pk;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli s9pk select [FILE…]}: prints the package that suits this machine best. */
@Command(
    addMethodSubcommands = false,
    name = "select",
    description = "Print the best .s9pk for this machine (default: *.s9pk here)")
public final class SelectCommand implements Runnable {
  @Parameters(arity = "0..*", paramLabel = "FILE", description = "Candidate packages")
  List<Path> files = new ArrayList<>();

  @Option(names = "--arch", description = "Select for this architecture instead of this machine's")
  @Nullable String arch;

  @Override
  public void run() {
    List<Path> candidates = files.isEmpty() ? here() : files;
    System.out.println(Selection.best(candidates, arch == null ? Selection.machineArch() : arch));
  }

  private static List<Path> here() {
    try (Stream<Path> s = Files.list(Path.of(""))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".s9pk")).sorted().toList();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot list the current directory: " + e, e);
    }
  }
}
