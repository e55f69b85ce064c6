package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.s9pk.pack.Packer;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code start-cli s9pk pack [PATH]}: builds and signs a package from an SDK project. */
@Command(
    addMethodSubcommands = false,
    name = "pack",
    description = "Build a signed .s9pk from a package project")
public final class PackCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin ProjectOptions project;

  @Option(
      names = {"-o", "--output"},
      description = "Where to write the package (default: <id>.s9pk in the project)")
  @Nullable Path output;

  @Override
  public void run() {
    DeveloperKey key = DeveloperKey.read(GlobalOptions.of(spec).developerKeyPath());
    Packer.pack(project.request(Optional.ofNullable(output)), key);
  }
}
