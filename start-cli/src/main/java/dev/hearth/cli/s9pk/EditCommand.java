package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.manifest.ManifestEdit;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli s9pk edit FILE manifest EXPR|add-image …}: changes a package and re-signs it.
 */
@Command(
    addMethodSubcommands = false,
    name = "edit",
    description = "Change a package and sign it again with the developer key")
public final class EditCommand implements Runnable {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(EditCommand.ManifestCmd.class, AddImageCommand.class);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .s9pk file (rewritten in place)")
  Path file;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  DeveloperKey key() {
    return DeveloperKey.read(GlobalOptions.of(spec).developerKeyPath());
  }

  /** {@code manifest EXPR}: applies a jq-style expression (docs/s9pk.md) and prints the result. */
  @Command(
      addMethodSubcommands = false,
      name = "manifest",
      description = "Edit the manifest: '.path = JSON', 'del(.path)', joined by '|'")
  static final class ManifestCmd implements Runnable {
    @ParentCommand EditCommand parent;

    @Parameters(index = "0", paramLabel = "EXPR", description = "e.g. '.title = \"New title\"'")
    String expression;

    @Override
    public void run() {
      DeveloperKey key = parent.key();
      try (S9pk pkg = S9pk.open(parent.file)) {
        S9pk edited = pkg.withManifest(ManifestEdit.apply(pkg.manifest(), expression));
        edited.writeSigned(parent.file, key);
        Output.json(System.out, ManifestJson.toTree(edited.manifest()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
