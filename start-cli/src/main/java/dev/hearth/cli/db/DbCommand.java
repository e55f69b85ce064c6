package dev.hearth.cli.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.DbApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.cli.connect.Connection;
import dev.hearth.cli.connect.Streams;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcClient;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli db …} (rpc.md §3, §4.7): the public model only. */
@Command(
    addMethodSubcommands = false,
    name = "db",
    description = "The public model of the database")
public final class DbCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          DbCommand.Dump.class, DbCommand.Apply.class, DbCommand.Put.class, DbCommand.PutUi.class);

  static JsonNode json(String text, String what) {
    try {
      return Connection.json().readTree(text);
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.DESERIALIZATION, what + " is not JSON: " + e.getMessage(), e);
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "dump",
      description = "Print the public model, or part of it")
  public static final class Dump extends RpcCommand {
    @Parameters(index = "0", arity = "0..1", description = "A JSON pointer within /public")
    String pointer;

    @Option(names = "--follow", description = "Then print every change as it happens")
    boolean follow;

    @Override
    protected void run(RpcClient client) throws InterruptedException {
      if (!follow) {
        DbApi.Dump dump = client.call(DbApi.DUMP, new DbApi.PointerParams(pointer));
        Output.json(
            System.out, format(OutputFormat.table) == OutputFormat.json ? dump : dump.value());
        return;
      }
      DbApi.Subscribed sub = client.call(DbApi.SUBSCRIBE, new DbApi.PointerParams(pointer));
      Output.json(System.out, sub.dump());
      Streams.follow(client, sub.guid(), System.out, frame -> frame);
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "apply",
      description = "Apply an RFC 6902 JSON Patch to the public model")
  public static final class Apply extends RpcCommand {
    @Parameters(index = "0", description = "The patch, e.g. '[{\"op\":\"replace\",…}]'")
    String patch;

    @Override
    protected void run(RpcClient client) {
      client.call(DbApi.APPLY, new DbApi.ApplyParams(json(patch, "the patch")));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "put",
      description = "Set a value in the public model")
  public static final class Put extends RpcCommand {
    @Parameters(index = "0", description = "A JSON pointer within /public")
    String pointer;

    @Parameters(index = "1", description = "The value, as JSON")
    String value;

    @Override
    protected void run(RpcClient client) {
      client.call(DbApi.PUT, new DbApi.PutParams(pointer, json(value, "the value")));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "put-ui",
      description = "Set a value in the UI's part of the model")
  public static final class PutUi extends RpcCommand {
    @Parameters(index = "0", description = "A JSON pointer within /public/ui")
    String pointer;

    @Parameters(index = "1", description = "The value, as JSON")
    String value;

    @Override
    protected void run(RpcClient client) {
      client.call(DbApi.PUT_UI, new DbApi.PutUiParams(pointer, json(value, "the value")));
    }
  }
}
