package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.ManifestJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli s9pk inspect FILE manifest|file-tree|cat PATH|commitment}: reads a package,
 * verifying the signature and every TOC on open and each file as it is read.
 */
@Command(
    addMethodSubcommands = false,
    name = "inspect",
    description = "Show what is inside a package")
public final class InspectCommand implements Runnable {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          InspectCommand.ManifestCmd.class,
          InspectCommand.FileTree.class,
          InspectCommand.Cat.class,
          InspectCommand.CommitmentCmd.class);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .s9pk file")
  Path file;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  void withPackage(Consumer<S9pk> body) {
    try (S9pk pkg = S9pk.open(file)) {
      body.accept(pkg);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code manifest}: the manifest as JSON. */
  @Command(
      addMethodSubcommands = false,
      name = "manifest",
      description = "Print the manifest (JSON)")
  static final class ManifestCmd implements Runnable {
    @ParentCommand InspectCommand parent;

    @Override
    public void run() {
      parent.withPackage(p -> Output.json(System.out, ManifestJson.toTree(p.manifest())));
    }
  }

  /** {@code file-tree}: every path in the package. */
  @Command(
      addMethodSubcommands = false,
      name = "file-tree",
      description = "List every path in the package")
  static final class FileTree implements Runnable {
    @Spec CommandSpec spec;
    @ParentCommand InspectCommand parent;

    @Override
    public void run() {
      parent.withPackage(p -> {
        List<String> paths = p.contents().paths();
        if (GlobalOptions.of(spec).format(OutputFormat.json) == OutputFormat.json) {
          Output.json(System.out, paths);
        } else {
          paths.forEach(System.out::println);
        }
      });
    }
  }

  /** {@code cat PATH}: one file's bytes, verified as they stream. */
  @Command(
      addMethodSubcommands = false,
      name = "cat",
      description = "Write one file of the package to stdout")
  static final class Cat implements Runnable {
    @ParentCommand InspectCommand parent;

    @Parameters(index = "0", paramLabel = "PATH", description = "Path inside the package")
    String path;

    @Override
    public void run() {
      parent.withPackage(p -> {
        Entry entry =
            p.contents()
                .find(path)
                .orElseThrow(
                    () -> new StartException(ErrorKind.NOT_FOUND, "the package has no " + path));
        try (InputStream in = entry.open(path)) {
          in.transferTo(System.out);
          System.out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** {@code commitment}: root sighash and max size, as a registry records them. */
  @Command(
      addMethodSubcommands = false,
      name = "commitment",
      description = "Print the merkle commitment (JSON)")
  static final class CommitmentCmd implements Runnable {
    @ParentCommand InspectCommand parent;

    @Override
    public void run() {
      parent.withPackage(p -> Output.json(System.out, p.archive().orElseThrow().commitment()));
    }
  }
}
