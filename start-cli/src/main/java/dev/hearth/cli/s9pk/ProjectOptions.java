package dev.hearth.cli.s9pk;

import dev.hearth.s9pk.pack.PackRequest;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The inputs of a pack, shared by {@code pack} and {@code list-ingredients} (upstream's flags). */
@Command(addMethodSubcommands = false) // a mixin: no method subcommands to look for
final class ProjectOptions {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PATH",
      description = "The package project (default: the current directory)")
  @Nullable Path path;

  @Option(names = "--javascript", description = "Built JavaScript directory (default: javascript)")
  @Nullable Path javascript;

  @Option(names = "--icon", description = "Icon file (default: the icon.* in the project)")
  @Nullable Path icon;

  @Option(
      names = "--license",
      description = "License file (default: the one LICENSE, LICENSE.md, … in the project)")
  @Nullable Path license;

  @Option(names = "--instructions", description = "Instructions file (default: instructions.md)")
  @Nullable Path instructions;

  @Option(names = "--assets", description = "Assets directory (default: assets, if present)")
  @Nullable Path assets;

  @Option(names = "--no-assets", description = "Pack no assets")
  boolean noAssets;

  @Option(names = "--arch", description = "Build only this architecture (x86_64, aarch64, riscv64)")
  @Nullable String arch;

  PackRequest request(Optional<Path> output) {
    PackRequest d =
        PackRequest.defaults((path == null ? Path.of("") : path).toAbsolutePath().normalize());
    return new PackRequest(
        d.projectDir(),
        output,
        javascript == null ? d.javascript() : javascript,
        Optional.ofNullable(icon),
        Optional.ofNullable(license),
        instructions == null ? d.instructions() : instructions,
        Optional.ofNullable(assets),
        noAssets ? PackRequest.Assets.NONE : PackRequest.Assets.INCLUDE,
        Optional.ofNullable(arch));
  }
}
