package dev.hearth.startd.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The text of the {@code nft -f} transaction that makes the table what a state says. The table is
 * created (so deleting it cannot fail), deleted and written again in one transaction: the kernel
 * applies all of it or none, and packets never see a half-written table.
 *
 * <p>Chains: {@code prerouting} DNATs packets from outside (the LAN, or a container reaching a
 * forward through the host) that are addressed to one of this namespace's own addresses; {@code
 * output} does the same for the namespace's own programs, except to loopback (see the package doc);
 * {@code postrouting} masquerades a container's connection that was DNATed back onto the bridge, or
 * the answer would go container to container and the bridge's isolated ports drop it; {@code
 * forward} lets onto the bridge only forwarded connections and answers, so a LAN client routing to
 * a container's address directly is dropped.
 */
final class NftRuleset {
  static final String FAMILY = "inet";
  static final String TABLE = "hearth";
  static final String MAP = "forwards";

  private NftRuleset() {}

  /** The transaction for {@code forwards} on {@code bridge} (its containers' {@code subnet}). */
  static String render(String bridge, String subnet, List<Dnat> forwards) {
    StringBuilder s = new StringBuilder();
    String table = "table " + FAMILY + " " + TABLE;
    s.append(table).append(" {}\n");
    s.append("delete ").append(table).append('\n');
    if (forwards.isEmpty()) {
      return s.toString(); // no forwards, no table: an idle startd leaves the host's rules alone
    }
    String br = quote(bridge);
    s.append(table).append(" {\n");
    s.append("  comment \"hearth startd: port forwards into containers (docs/startd.md)\"\n");
    s.append("  map ").append(MAP).append(" {\n");
    s.append("    type inet_proto . inet_service : ipv4_addr . inet_service\n");
    s.append("    elements = {\n");
    List<String> elements = elements(forwards);
    for (int i = 0; i < elements.size(); i++) {
      s.append("      ").append(elements.get(i)).append(i + 1 < elements.size() ? ",\n" : "\n");
    }
    s.append("    }\n  }\n");
    String lookup = "dnat ip addr . port to meta l4proto . th dport map @" + MAP;
    chain(
        s,
        "prerouting",
        "nat hook prerouting priority dstnat",
        List.of("meta l4proto { tcp, udp } fib daddr type local " + lookup));
    chain(
        s,
        "output",
        "nat hook output priority -100",
        List.of(
            "meta l4proto { tcp, udp } ip daddr != 127.0.0.0/8 fib daddr type local " + lookup));
    chain(
        s,
        "postrouting",
        "nat hook postrouting priority srcnat",
        List.of("oifname " + br + " ip saddr " + subnet + " ct status dnat masquerade"));
    chain(
        s,
        "forward",
        "filter hook forward priority filter",
        List.of(
            "oifname " + br + " ct state established,related accept",
            "oifname " + br + " ct status dnat accept",
            "oifname " + br + " drop"));
    s.append("}\n");
    return s.toString();
  }

  /** One map element per forwarded port, in protocol and port order. */
  static List<String> elements(List<Dnat> forwards) {
    List<Dnat> sorted = new ArrayList<>(forwards);
    sorted.sort(Comparator.comparing(Dnat::protocol).thenComparingInt(Dnat::externalStart));
    List<String> out = new ArrayList<>();
    for (Dnat d : sorted) {
      String to = d.target().getHostAddress();
      for (int i = 0; i < d.count(); i++) {
        out.add(
            d.protocol().nft
                + " . "
                + (d.externalStart() + i)
                + " : "
                + to
                + " . "
                + (d.targetStart() + i));
      }
    }
    return out;
  }

  private static void chain(StringBuilder s, String name, String hook, List<String> rules) {
    s.append("  chain ").append(name).append(" {\n");
    s.append("    type ").append(hook).append("; policy accept;\n");
    rules.forEach(r -> s.append("    ").append(r).append('\n'));
    s.append("  }\n");
  }

  /** An interface name as an nft string; names are checked by {@code ip}, this only quotes. */
  private static String quote(String name) {
    if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("not an interface name: " + name);
    }
    return "\"" + name + "\"";
  }
}
