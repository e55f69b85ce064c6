package dev.hearth.cli.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NetApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start-cli net …} (rpc.md §4.6): the gateways the server is reached through. */
@Command(addMethodSubcommands = false, name = "net", description = "Gateways and networking")
public final class NetCommand {
  /** Its subcommands (the tree: {@link dev.hearth.cli.CommandTree}). */
  public static final List<Class<?>> SUBCOMMANDS = List.of(Gateway.class);

  NetCommand() {} // made by the command models (CommandSpecs)

  @Command(
      addMethodSubcommands = false,
      name = "gateway",
      description = "The network interfaces the server is reached through")
  public static final class Gateway {
    public static final List<Class<?>> SUBCOMMANDS = List.of(ListGateways.class, SetName.class);

    Gateway() {}
  }

  @Command(addMethodSubcommands = false, name = "list", description = "The gateways")
  public static final class ListGateways extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      Map<String, JsonNode> gateways = client.call(NetApi.GATEWAY_LIST, new Empty());
      if (format(OutputFormat.table) == OutputFormat.json) {
        Output.json(System.out, gateways);
        return;
      }
      List<List<String>> rows = new ArrayList<>();
      gateways.forEach((id, g) -> {
        JsonNode ip = g.path("ipInfo");
        List<String> addresses = new ArrayList<>();
        ip.path("subnets").forEach(a -> addresses.add(a.asText()));
        rows.add(
            List.of(
                id,
                g.path("name").isTextual() ? g.path("name").asText() : "",
                ip.path("deviceType").isTextual() ? ip.path("deviceType").asText() : "",
                String.join(" ", addresses)));
      });
      Output.table(System.out, List.of("ID", "NAME", "TYPE", "ADDRESSES"), rows);
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "set-name",
      description = "Name a gateway (an empty name shows its interface name again)")
  public static final class SetName extends RpcCommand {
    @Parameters(index = "0", description = "The gateway (interface name)")
    String id;

    @Parameters(index = "1", description = "The name")
    String name;

    @Override
    protected void run(RpcClient client) {
      client.call(NetApi.GATEWAY_SET_NAME, new NetApi.GatewayName(id, name));
    }
  }
}
