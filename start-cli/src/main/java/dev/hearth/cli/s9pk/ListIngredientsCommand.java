package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.s9pk.pack.Ingredients;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code start-cli s9pk list-ingredients [PATH]}: the files a pack reads, one per line. */
@Command(
    addMethodSubcommands = false,
    name = "list-ingredients",
    description = "List the files that pack reads")
public final class ListIngredientsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin ProjectOptions project;

  @Override
  public void run() {
    List<String> paths =
        Ingredients.list(project.request(Optional.empty())).stream().map(Path::toString).toList();
    if (GlobalOptions.of(spec).format(OutputFormat.table) == OutputFormat.json) {
      Output.json(System.out, paths);
    } else {
      paths.forEach(System.out::println);
    }
  }
}
