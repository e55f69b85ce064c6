package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.Selection;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.manifest.ManifestEdit;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.pack.ImageAddition;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli s9pk edit FILE manifest EXPR|add-image …}: changes a package and re-signs it.
 */
@Command(
    name = "edit",
    description = "Change a package and sign it again with the developer key",
    subcommands = {EditCommand.ManifestCmd.class, EditCommand.AddImage.class})
public final class EditCommand implements Runnable {
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

  /** {@code add-image ID SOURCE}: an image from a root filesystem directory or tarball. */
  @Command(
      name = "add-image",
      description = "Add an image from a root filesystem directory or tarball")
  static final class AddImage implements Runnable {
    @ParentCommand EditCommand parent;

    @Parameters(index = "0", paramLabel = "ID", description = "Image id")
    String id;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "SOURCE",
        description = "Directory or tarball of the image's root filesystem; may contain {arch}")
    @Nullable String source;

    @Option(names = "--docker-tag", description = "Not available: needs Docker")
    @Nullable String dockerTag;

    @Option(names = "--docker-build", description = "Not available: needs Docker")
    boolean dockerBuild;

    @Option(
        names = "--arch",
        description = "Architecture(s) of the image (default: this machine's)")
    List<String> arch = new ArrayList<>();

    @Option(
        names = "--emulate-missing-as",
        description = "Architecture to emulate where one is missing")
    @Nullable String emulateMissingAs;

    @Option(names = "--nvidia-container", description = "Run with NVIDIA's container runtime")
    boolean nvidiaContainer;

    @Override
    public void run() {
      if (dockerTag != null || dockerBuild) {
        throw new StartException(
            ErrorKind.PACK,
            "Docker is not available on this platform, so images cannot come from Docker;"
                + " give a root filesystem directory or tarball as SOURCE");
      }
      if (source == null) {
        throw new ParameterException(
            parent.spec.commandLine(), "Missing SOURCE (a directory or tarball)");
      }
      List<String> arches = arch.isEmpty() ? List.of(Selection.machineArch()) : arch;
      DeveloperKey key = parent.key();
      try (S9pk pkg = S9pk.open(parent.file);
          ImageAddition add =
              new ImageAddition(
                  pkg,
                  id,
                  new ImageSource.Rootfs(source),
                  arches,
                  emulateMissingAs,
                  nvidiaContainer)) {
        add.result().validateAndFilter(Optional.empty()).writeSigned(parent.file, key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
