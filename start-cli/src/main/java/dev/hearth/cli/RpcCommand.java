package dev.hearth.cli;

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
