package dev.hearth.cli.registry;

import dev.hearth.cli.Output;
import dev.hearth.jsonrpc.RpcClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that calls one method of the registry and prints its result as JSON. */
public abstract class RegistryCall implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (RpcClient client = RegistryConnection.client(spec)) {
      run(client);
    }
    return 0;
  }

  protected abstract void run(RpcClient client) throws Exception;

  protected static void print(Object result) {
    if (result != null) {
      Output.json(System.out, result);
    }
  }

  /** A group: runs only through a subcommand. */
  abstract static class Group implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
  }
}
