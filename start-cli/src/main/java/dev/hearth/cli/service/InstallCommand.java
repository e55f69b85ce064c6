package dev.hearth.cli.service;

import dev.hearth.api.FullProgress;
import dev.hearth.api.PackageApi;
import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.connect.Connection;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.S9pk;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli package install -s FILE}: sideloads a package file (rpc.md §3.4) and prints the
 * install's progress until it ends. Exit 0 once the server says {@code complete}; otherwise the
 * server's reason on stderr and exit 1.
 */
@Command(name = "install", description = "Install a package file (sideload)")
public final class InstallCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-s", "--sideload"},
      required = true,
      paramLabel = "FILE",
      description = "The .s9pk file to upload")
  Path file;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new StartException(ErrorKind.NOT_FOUND, "no readable package file at " + file);
    }
    boolean json = GlobalOptions.of(spec).format(OutputFormat.table) == OutputFormat.json;
    try (RpcClient client = Connection.client(spec)) {
      PackageApi.Sideload continuations = client.call(PackageApi.SIDELOAD, Empty.INSTANCE);
      Sideload.run(client, continuations, file, json ? System.out::println : human(System.out));
    }
    if (!json) {
      System.out.println(packageId(file).map(id -> "installed " + id).orElse("installed"));
    }
    return 0;
  }

  /** Prints a line when the frames show progress a person would notice. */
  static Consumer<String> human(PrintStream out) {
    var lines = new ProgressLines();
    return frame -> {
      FullProgress progress;
      try {
        progress = Connection.JSON.readValue(frame, FullProgress.class);
      } catch (IOException e) {
        throw new UncheckedIOException("the server sent progress that is not FullProgress", e);
      }
      lines.next(progress).ifPresent(out::println);
      out.flush();
    };
  }

  /**
   * The id in the file's manifest, when this CLI can read it; a v1 file, which the server converts,
   * cannot be read here.
   */
  private static Optional<String> packageId(Path file) {
    try (S9pk pkg = S9pk.open(file)) {
      return Optional.of(pkg.manifest().id());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
