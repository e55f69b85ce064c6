package dev.hearth.cli.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NetApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli server host …} (rpc.md §4.3): the addresses of the server's own UI. */
@Command(
    addMethodSubcommands = false,
    name = "host",
    description = "The addresses the server's own UI is reached at")
public final class ServerHostCommand {
  public static final List<Class<?>> SUBCOMMANDS = List.of(Address.class, Binding.class);

  ServerHostCommand() {}

  @Command(addMethodSubcommands = false, name = "address", description = "The UI's addresses")
  public static final class Address {
    public static final List<Class<?>> SUBCOMMANDS = List.of(ListAddresses.class);

    Address() {}
  }

  @Command(addMethodSubcommands = false, name = "binding", description = "The UI's bindings")
  public static final class Binding {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(ListBindings.class, SetAddressEnabled.class);

    Binding() {}
  }

  @Command(
      addMethodSubcommands = false,
      name = "list",
      description = "Every address of the UI, and whether it is on")
  public static final class ListAddresses extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      var byPort = client.call(NetApi.SERVER_ADDRESS_LIST, new Empty());
      Addresses.print(format(OutputFormat.table), byPort);
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "list",
      description = "The UI's bindings by internal port (JSON)")
  public static final class ListBindings extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      Output.json(System.out, client.call(NetApi.SERVER_BINDING_LIST, new Empty()));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "set-address-enabled",
      description = "Turn an address of the UI on (or off with --off); loopback stays on")
  public static final class SetAddressEnabled extends RpcCommand {
    @Parameters(index = "0", description = "The binding's internal port (80)")
    int internalPort;

    @Parameters(index = "1", description = "The address: host:port, IPv6 as [host]:port")
    String address;

    @Option(names = "--off", description = "Turn it off")
    boolean off;

    @Override
    protected void run(RpcClient client) {
      var byPort = client.call(NetApi.SERVER_ADDRESS_LIST, new Empty());
      JsonNode picked = Addresses.pick(byPort, internalPort, address);
      client.call(
          NetApi.SERVER_SET_ADDRESS_ENABLED,
          new NetApi.SetAddressEnabled(null, null, internalPort, picked, !off));
    }
  }
}
