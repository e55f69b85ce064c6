package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.connect.Connection;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls one RPC method: it parses, calls and prints, with no logic of its own.
 * Subclasses implement {@link #run(RpcClient)}; the default output is the result as JSON.
 */
public abstract class RpcCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (RpcClient client = Connection.client(spec)) {
      run(client);
    }
    return 0;
  }

  protected abstract void run(RpcClient client) throws Exception;

  protected OutputFormat format(OutputFormat fallback) {
    return GlobalOptions.of(spec).format(fallback);
  }

  /**
   * The params of a call by name: {@code names} and {@code values} alternate, and a null value is
   * written as JSON null, as a record's null component is.
   */
  protected static ObjectNode params(Object... namesAndValues) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      switch (namesAndValues[i + 1]) {
        case null -> params.putNull(name);
        case String s -> params.put(name, s);
        case Long l -> params.put(name, l);
        case Integer n -> params.put(name, n);
        case Boolean b -> params.put(name, b);
        default ->
            throw new IllegalArgumentException(
                "not a JSON scalar: " + namesAndValues[i + 1].getClass());
      }
    }
    return params;
  }

  /**
   * Calls a method by name and prints its result as {@link #callAndPrint(RpcClient, MethodSpec,
   * Object)} does, without binding it to a record: the commands on a script's path call by name, so
   * that no mapper is made ({@link dev.hearth.jsonrpc.JsonTree}).
   */
  protected JsonNode callAndPrint(RpcClient client, String method, ObjectNode params) {
    JsonNode result = client.call(method, params);
    if (!result.isNull() && !result.isMissingNode()) {
      if (result.isTextual() && format(OutputFormat.table) == OutputFormat.table) {
        System.out.println(result.textValue());
      } else {
        Output.json(System.out, result);
      }
    }
    return result;
  }

  /** Calls a method and prints its result as JSON (or nothing for a null result). */
  protected <P, R> R callAndPrint(RpcClient client, MethodSpec<P, R> method, P params) {
    R result = client.call(method, params);
    if (result != null) {
      if (result instanceof String s && format(OutputFormat.table) == OutputFormat.table) {
        System.out.println(s);
      } else {
        Output.json(System.out, result);
      }
    }
    return result;
  }
}
