package dev.hearth.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.PackageApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.cli.connect.Connection;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli package action …} (rpc.md §4.4, lifecycle.md §3.6). */
@Command(
    addMethodSubcommands = false,
    name = "action",
    description = "A service's actions and tasks")
public final class ActionCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(ActionCommand.GetInput.class, ActionCommand.Run.class, ActionCommand.ClearTask.class);

  ActionCommand() {} // made by the command models (CommandSpecs)

  @Command(
      addMethodSubcommands = false,
      name = "get-input",
      description = "An action's input form and current value")
  public static final class GetInput extends RpcCommand {
    @Parameters(index = "0", paramLabel = "PKG", description = "The package id")
    String packageId;

    @Parameters(index = "1", paramLabel = "ACTION", description = "The action id")
    String actionId;

    @Option(
        names = "--prefill",
        paramLabel = "JSON",
        converter = JsonArgument.class,
        description = "Values to start the form from")
    JsonNode prefill;

    @Override
    protected void run(RpcClient client) {
      JsonNode form =
          client.call(
              PackageApi.ACTION_GET_INPUT,
              new PackageApi.GetInputParams(packageId, actionId, prefill));
      if (form.isNull() && format(OutputFormat.table) == OutputFormat.table) {
        System.out.println(actionId + " takes no input");
      } else {
        Output.json(System.out, form);
      }
    }
  }

  /**
   * Runs an action the way the web UI does (lifecycle.md §3.6): the form comes first, for its event
   * id, which the service needs again with the run, and for its current value, which is the input
   * when none is given. With both an input and {@code --event-id}, the run goes alone.
   */
  @Command(addMethodSubcommands = false, name = "run", description = "Run an action")
  public static final class Run extends RpcCommand {
    @Parameters(index = "0", paramLabel = "PKG", description = "The package id")
    String packageId;

    @Parameters(index = "1", paramLabel = "ACTION", description = "The action id")
    String actionId;

    @ArgGroup(exclusive = true)
    @Nullable InputSource given;

    @Option(
        names = "--event-id",
        paramLabel = "ID",
        description = "The event id of an earlier get-input")
    @Nullable String eventId;

    static final class InputSource {
      @Option(
          names = "--input",
          paramLabel = "JSON",
          converter = JsonArgument.class,
          description = "The whole input (default: the form's current value)")
      @Nullable JsonNode json;

      @Option(names = "--input-file", paramLabel = "FILE", description = "The input, from a file")
      @Nullable Path file;

      JsonNode read() {
        if (json != null) {
          return json;
        }
        try {
          JsonNode read = Connection.json().readTree(file.toFile());
          if (read == null || read.isMissingNode()) {
            throw new StartException(ErrorKind.DESERIALIZATION, file + " holds no JSON");
          }
          return read;
        } catch (IOException e) {
          throw new StartException(
              ErrorKind.DESERIALIZATION,
              "cannot read the input in " + file + ": " + e.getMessage(),
              e);
        }
      }
    }

    @Override
    protected void run(RpcClient client) {
      boolean json = format(OutputFormat.table) == OutputFormat.json;
      JsonNode input = given == null ? null : given.read();
      String event = eventId;
      if (input == null || event == null) {
        Optional<ActionForm> form = form(client);
        if (form.isPresent()) {
          event = event == null ? form.get().eventId() : event;
          if (input == null) {
            input = form.get().input();
            // In JSON mode stdout carries only the result.
            PrintStream note = json ? System.err : System.out;
            note.println("Input: " + form.get().printableInput());
          }
        }
      }
      JsonNode result =
          client.call(
              PackageApi.ACTION_RUN, new PackageApi.RunParams(packageId, actionId, event, input));
      if (json) {
        Output.json(System.out, result);
      } else if (!result.isNull()) {
        ActionResult r = parse(result);
        r.lines().forEach(System.out::println);
      }
    }

    private Optional<ActionForm> form(RpcClient client) {
      JsonNode form =
          client.call(
              PackageApi.ACTION_GET_INPUT,
              new PackageApi.GetInputParams(packageId, actionId, null));
      if (form.isNull()) {
        return Optional.empty(); // the action takes no input
      }
      try {
        return Optional.of(Connection.json().treeToValue(form, ActionForm.class));
      } catch (IOException e) {
        throw new StartException(
            ErrorKind.DESERIALIZATION,
            "unexpected form from " + packageId + ": " + e.getMessage(),
            e);
      }
    }

    static ActionResult parse(JsonNode result) {
      try {
        return Connection.json().treeToValue(result, ActionResult.class);
      } catch (IOException e) {
        throw new StartException(
            ErrorKind.DESERIALIZATION, "unexpected action result: " + e.getMessage(), e);
      }
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "clear-task",
      description = "Dismiss a task (critical ones need --force)")
  public static final class ClearTask extends RpcCommand {
    @Parameters(index = "0", paramLabel = "PKG", description = "The package whose task it is")
    String packageId;

    @Parameters(index = "1", paramLabel = "REPLAY_ID", description = "The task's replay id")
    String replayId;

    @Option(names = "--force", description = "Dismiss even a critical task")
    boolean force;

    @Override
    protected void run(RpcClient client) {
      client.call(
          PackageApi.ACTION_CLEAR_TASK, new PackageApi.ClearTaskParams(packageId, replayId, force));
    }
  }
}
