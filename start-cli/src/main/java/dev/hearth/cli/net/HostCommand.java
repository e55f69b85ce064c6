package dev.hearth.cli.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NetApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.jsonrpc.RpcClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli package host …} (rpc.md §4.4): a service's hosts and their addresses. */
@Command(
    addMethodSubcommands = false,
    name = "host",
    description = "A service's hosts: their bindings and the addresses they are reached at")
public final class HostCommand {
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(ListHosts.class, Address.class, Binding.class);

  HostCommand() {}

  @Command(addMethodSubcommands = false, name = "list", description = "A service's host ids")
  public static final class ListHosts extends RpcCommand {
    @Parameters(index = "0", description = "The service")
    String pkg;

    @Override
    protected void run(RpcClient client) {
      client
          .call(NetApi.PACKAGE_HOST_LIST, new NetApi.PackageOnly(pkg))
          .forEach(System.out::println);
    }
  }

  @Command(addMethodSubcommands = false, name = "address", description = "A host's addresses")
  public static final class Address {
    public static final List<Class<?>> SUBCOMMANDS = List.of(ListAddresses.class);

    Address() {}
  }

  @Command(
      addMethodSubcommands = false,
      name = "list",
      description = "Every address of a host, and whether it is on")
  public static final class ListAddresses extends RpcCommand {
    @Parameters(index = "0", description = "The service")
    String pkg;

    @Parameters(index = "1", description = "The host id")
    String host;

    @Override
    protected void run(RpcClient client) {
      var byPort = client.call(NetApi.PACKAGE_ADDRESS_LIST, new NetApi.HostParams(pkg, host));
      Addresses.print(format(OutputFormat.table), byPort);
    }
  }

  @Command(addMethodSubcommands = false, name = "binding", description = "A host's bindings")
  public static final class Binding {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(ListBindings.class, SetAddressEnabled.class);

    Binding() {}
  }

  @Command(
      addMethodSubcommands = false,
      name = "list",
      description = "A host's bindings by internal port (JSON)")
  public static final class ListBindings extends RpcCommand {
    @Parameters(index = "0", description = "The service")
    String pkg;

    @Parameters(index = "1", description = "The host id")
    String host;

    @Override
    protected void run(RpcClient client) {
      Map<String, JsonNode> bindings =
          client.call(NetApi.PACKAGE_BINDING_LIST, new NetApi.HostParams(pkg, host));
      Output.json(System.out, bindings);
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "set-address-enabled",
      description = "Turn an address of a binding on (or off with --off)")
  public static final class SetAddressEnabled extends RpcCommand {
    @Parameters(index = "0", description = "The service")
    String pkg;

    @Parameters(index = "1", description = "The host id")
    String host;

    @Parameters(index = "2", description = "The binding's internal port")
    int internalPort;

    @Parameters(
        index = "3",
        description = "The address as `address list` shows it: host:port, IPv6 as [host]:port")
    String address;

    @Option(names = "--off", description = "Turn it off")
    boolean off;

    @Override
    protected void run(RpcClient client) {
      var byPort = client.call(NetApi.PACKAGE_ADDRESS_LIST, new NetApi.HostParams(pkg, host));
      JsonNode picked = Addresses.pick(byPort, internalPort, address);
      client.call(
          NetApi.PACKAGE_SET_ADDRESS_ENABLED,
          new NetApi.SetAddressEnabled(pkg, host, internalPort, picked, !off));
    }
  }
}
