package dev.hearth.cli.connect;

import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** Prints the frames of a continuation (follow, progress) until the server closes it. */
public final class Streams {
  private Streams() {}

  /**
   * @param render turns a frame into the line to print
   */
  public static void follow(
      RpcClient client, String guid, PrintStream out, Function<String, String> render)
      throws InterruptedException {
    try (Continuation stream = client.continuation(guid)) {
      while (true) {
        Optional<String> frame = stream.next(Duration.ofDays(365));
        if (frame.isEmpty()) {
          return;
        }
        out.println(render.apply(frame.get()));
        out.flush();
      }
    }
  }
}
