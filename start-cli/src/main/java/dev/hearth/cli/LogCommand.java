package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ServerApi;
import dev.hearth.cli.connect.Connection;
import dev.hearth.cli.connect.Streams;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * A command that reads a log (rpc.md §4.3, §4.4): a page of entries, or, with {@code --follow}, the
 * entries of a WebSocket continuation as they come. Subclasses name the two methods and build their
 * params from the window the options select.
 *
 * @param <P> the params of both methods
 */
public abstract class LogCommand<P> extends RpcCommand {
  @Option(names = "--limit", description = "How many entries")
  Integer limit;

  @Option(names = "--cursor", description = "Start after (or, with --before, before) this entry")
  String cursor;

  @Option(names = "--boot", description = "A boot id, or 0 for this boot, -1 the previous, …")
  String boot;

  @Option(names = "--before", description = "Page backwards from the cursor")
  boolean before;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new entries")
  boolean follow;

  /** The params of both methods for the entries the options select. */
  protected abstract P params(ServerApi.LogsParams window);

  protected abstract MethodSpec<P, ServerApi.LogPage> page();

  protected abstract MethodSpec<P, ServerApi.LogFollow> followMethod();

  @Override
  protected void run(RpcClient client) throws InterruptedException {
    P params = params(new ServerApi.LogsParams(limit, cursor, boot, before));
    boolean json = format(OutputFormat.table) == OutputFormat.json;
    if (follow) {
      ServerApi.LogFollow f = client.call(followMethod(), params);
      Streams.follow(client, f.guid(), System.out, frame -> json ? frame : line(frame));
      return;
    }
    ServerApi.LogPage page = client.call(page(), params);
    if (json) {
      Output.json(System.out, page);
    } else {
      page.entries().forEach(e -> System.out.println(e.timestamp() + " " + e.message()));
    }
  }

  private static String line(String frame) {
    try {
      JsonNode e = Connection.json().readTree(frame);
      return e.path("timestamp").asText() + " " + e.path("message").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
