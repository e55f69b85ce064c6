package dev.hearth.cli.service;

import dev.hearth.api.PackageApi;
import dev.hearth.cli.connect.Connection;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli package attach ID -- COMMAND…}: runs a command in a service's container, or in
 * one of its subcontainers, with this terminal's input and output; exits with the command's exit
 * code, which the server gives as the close reason {@code exit N}.
 *
 * <p>On a terminal (by default when stdin and stdout are one; {@code --tty}, {@code --no-tty}), the
 * command gets a terminal of this one's size, this one is put in raw mode for the session, and
 * resizes follow. Otherwise the command reads this process's stdin until its end.
 */
@Command(
    addMethodSubcommands = false,
    name = "attach",
    description = "Run a command in a service's container")
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

  @Option(
      names = {"-t", "--tty"},
      negatable = true,
      description = "Give the command a terminal (default: when stdin and stdout are terminals)")
  Boolean tty;

  PackageApi.AttachParams params(boolean terminal, LocalTerminal.@Nullable Size size) {
    return new PackageApi.AttachParams(
        id,
        command,
        terminal,
        false,
        size == null ? null : size.rows() + ":" + size.cols(),
        subcontainer,
        name,
        imageId,
        user);
  }

  @Override
  public Integer call() throws InterruptedException {
    boolean terminal = tty != null ? tty : LocalTerminal.interactive();
    LocalTerminal local = terminal && LocalTerminal.interactive() ? LocalTerminal.open() : null;
    try (RpcClient client = Connection.client(spec)) {
      String guid =
          client.call(PackageApi.ATTACH, params(terminal, local == null ? null : local.size()));
      try (Continuation stream = client.continuation(guid)) {
        if (local != null) {
          local.onResize(size -> stream.sendText(resize(size)));
          local.raw();
        }
        forwardInput(stream, !terminal);
        for (Optional<Continuation.Frame> f = stream.nextFrame(FOREVER);
            f.isPresent();
            f = stream.nextFrame(FOREVER)) {
          switch (f.get()) {
            case Continuation.Frame.Binary(byte[] data) -> System.out.write(data, 0, data.length);
            case Continuation.Frame.Text(String text) -> System.out.print(text);
          }
          System.out.flush();
        }
        Continuation.Closed closed =
            stream
                .awaitClose(CLOSE_WAIT)
                .orElse(new Continuation.Closed(1006, "the server did not close the stream"));
        if (local != null) {
          local.close(); // before any message, so it prints on a sane terminal
        }
        return exitCode(closed, System.err);
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  static String resize(LocalTerminal.Size size) {
    return "{\"resize\":{\"rows\":" + size.rows() + ",\"cols\":" + size.cols() + "}}";
  }

  /**
   * Sends this process's stdin as binary frames, on a daemon thread (a read of stdin cannot be
   * interrupted); at its end, {@code {"eof":true}} if the command's input should then close.
   */
  private static void forwardInput(Continuation stream, boolean closeAtEnd) {
    InputStream in = System.in;
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  stream.sendBinary(Arrays.copyOf(buffer, n));
                }
                if (closeAtEnd) {
                  stream.sendText("{\"eof\":true}");
                }
              } catch (IOException | RuntimeException e) {
                // the stream closed: the command ended
              }
            },
            "attach-input");
    pump.setDaemon(true);
    pump.start();
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
