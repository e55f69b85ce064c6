package dev.hearth.cli.service;

import dev.hearth.api.PackageApi;
import dev.hearth.cli.connect.Connection;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli package attach ID -- COMMAND…}: runs a command in a service's container and
 * prints its output as it comes; exits with the command's exit code, which the server gives as the
 * close reason {@code exit N}. Not interactive: no terminal, and the command's input is closed.
 */
@Command(name = "attach", description = "Run a command in a service's container")
public final class AttachCommand implements Callable<Integer> {
  private static final Pattern EXIT = Pattern.compile("exit (\\d{1,3})");
  private static final Duration FOREVER = Duration.ofDays(365); // output may pause for long
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The package id")
  String id;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments, after --")
  List<String> command;

  @Option(names = "--subcontainer", paramLabel = "GUID", description = "Run in this subcontainer")
  String subcontainer;

  @Option(names = "--name", description = "Pick the subcontainer by name")
  String name;

  @Option(names = "--image-id", description = "Pick the subcontainer by image")
  String imageId;

  @Option(names = "--user", description = "Run as this user (in a subcontainer)")
  String user;

  PackageApi.AttachParams params() {
    return new PackageApi.AttachParams(
        id, command, false, false, null, subcontainer, name, imageId, user);
  }

  @Override
  public Integer call() throws InterruptedException {
    try (RpcClient client = Connection.client(spec)) {
      String guid = client.call(PackageApi.ATTACH, params());
      try (Continuation output = client.continuation(guid)) {
        for (Optional<String> f = output.next(FOREVER); f.isPresent(); f = output.next(FOREVER)) {
          System.out.print(f.get());
          System.out.flush();
        }
        Continuation.Closed closed =
            output
                .awaitClose(CLOSE_WAIT)
                .orElse(new Continuation.Closed(1006, "the server did not close the stream"));
        return exitCode(closed, System.err);
      }
    }
  }

  /** The command's exit code from the close reason; 1, with the reason on stderr, otherwise. */
  static int exitCode(Continuation.Closed closed, PrintStream err) {
    Matcher m = EXIT.matcher(closed.reason());
    if (closed.code() == 1000 && m.matches()) {
      return Integer.parseInt(m.group(1));
    }
    if (closed.code() == 1000 && closed.reason().equals("complete")) {
      return 0;
    }
    err.println(
        "Error: the command's stream closed ("
            + closed.code()
            + (closed.reason().isBlank() ? "" : ": " + closed.reason())
            + ")");
    return 1;
  }
}
