package dev.hearth.cli.s9pk;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.Output;
import dev.hearth.cli.registry.Publishing;
import dev.hearth.cli.registry.RegistryConnection;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli s9pk publish FILE}: uploads a package to the registry ({@code -r}) and lists it.
 */
@Command(
    addMethodSubcommands = false,
    name = "publish",
    description = "Publish a package file on a registry (-r URL), signed with the developer key")
public final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The .s9pk file")
  Path file;

  @Override
  public Integer call() throws Exception {
    try (RpcClient client = RegistryConnection.client(spec)) {
      var published =
          Publishing.publish(client, file, GlobalOptions.of(spec).developerKey(), List.of());
      Output.json(System.out, published);
    }
    return 0;
  }
}
