package dev.hearth.cli.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NetApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The addresses of a host's bindings, as printed and as named on the command line. */
final class Addresses {
  private Addresses() {}

  /** As JSON when asked, else {@link #table}. */
  static void print(OutputFormat format, Map<String, List<NetApi.Address>> byPort) {
    if (format == OutputFormat.json) {
      Output.json(System.out, byPort);
    } else {
      table(System.out, byPort);
    }
  }

  /** One row per address: the binding's internal port, on or off, and where it is. */
  static void table(PrintStream out, Map<String, List<NetApi.Address>> byPort) {
    List<List<String>> rows = new ArrayList<>();
    byPort.forEach((port, list) -> {
      for (NetApi.Address a : list) {
        JsonNode h = a.address();
        JsonNode meta = h.path("metadata");
        String gateways =
            meta.has("gateway")
                ? meta.path("gateway").asText()
                : String.join(",", texts(meta.path("gateways")));
        rows.add(
            List.of(
                port,
                a.enabled() ? "on" : "off",
                h.path("public").asBoolean() ? "public" : "private",
                meta.path("kind").asText(),
                gateways,
                h.path("ssl").asBoolean() ? "Root CA" : "none",
                name(h)));
      }
    });
    Output.table(
        out, List.of("PORT", "STATE", "ACCESS", "TYPE", "GATEWAY", "TLS", "ADDRESS"), rows);
  }

  /** {@code host:port}, IPv6 in brackets: how the command line names an address. */
  static String name(JsonNode h) {
    String host = h.path("hostname").asText();
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return h.path("port").isNumber() ? shown + ":" + h.path("port").asInt() : shown;
  }

  /**
   * The address of the binding on {@code internalPort} named {@code name} ({@code host:port}).
   *
   * @throws StartException (NOT_FOUND) if the binding has no such address, listing the ones it has
   */
  static JsonNode pick(Map<String, List<NetApi.Address>> byPort, int internalPort, String name) {
    List<NetApi.Address> list = byPort.get(String.valueOf(internalPort));
    if (list == null) {
      throw new StartException(
          ErrorKind.NOT_FOUND,
          "no binding on internal port " + internalPort + "; there are " + byPort.keySet());
    }
    List<String> names = new ArrayList<>();
    for (NetApi.Address a : list) {
      if (name(a.address()).equals(name)) {
        return a.address();
      }
      names.add(name(a.address()));
    }
    throw new StartException(
        ErrorKind.NOT_FOUND,
        "no address " + name + " on internal port " + internalPort + "; there are " + names);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
