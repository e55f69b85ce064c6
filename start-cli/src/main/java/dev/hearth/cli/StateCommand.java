package dev.hearth.cli;

import dev.hearth.api.Methods;
import dev.hearth.api.RootApi;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli state}: the server's mode ({@code running}); with {@code --methods}, the list of
 * every method this CLI and the daemon declare, generated from the one declaration both use.
 */
@Command(
    addMethodSubcommands = false,
    name = "state",
    description = "The server's state; --methods lists the API")
public final class StateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--methods", description = "List every RPC method, its access and params")
  boolean methods;

  @Override
  public Integer call() {
    if (methods) {
      List<MethodSpec<?, ?>> all = Methods.all();
      if (GlobalOptions.of(spec).format(OutputFormat.table) == OutputFormat.json) {
        Output.json(
            System.out,
            all.stream()
                .map(m ->
                    java.util.Map.of(
                        "method", m.name(),
                        "access", m.access().name().toLowerCase(java.util.Locale.ROOT),
                        "syncDb", m.syncDb(),
                        "params", params(m),
                        "description", m.description()))
                .toList());
      } else {
        Output.table(
            System.out,
            List.of("METHOD", "ACCESS", "PARAMS", "DESCRIPTION"),
            all.stream()
                .map(m ->
                    List.of(
                        m.name(),
                        m.access().name().toLowerCase(java.util.Locale.ROOT)
                            + (m.syncDb() ? ", syncs db" : ""),
                        String.join(" ", params(m)),
                        m.description()))
                .toList());
      }
      return 0;
    }
    try (RpcClient client = dev.hearth.cli.connect.Connection.client(spec)) {
      System.out.println(client.call(RootApi.STATE, Empty.INSTANCE));
    }
    return 0;
  }

  private static List<String> params(MethodSpec<?, ?> m) {
    if (!m.params().isRecord()) {
      return List.of("{…}");
    }
    return java.util.Arrays.stream(m.params().getRecordComponents()).map(c -> jsonName(c)).toList();
  }

  private static String jsonName(java.lang.reflect.RecordComponent c) {
    var property = c.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : c.getName();
  }
}
