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
  static final String BLOCKED4 = "blocked4";
  static final String BLOCKED6 = "blocked6";

  private NftRuleset() {}

  /** The transaction for {@code forwards} on {@code bridge} (its containers' {@code subnet}). */
  static String render(String bridge, String subnet, List<Dnat> forwards) {
    return render(bridge, subnet, forwards, List.of());
  }

  /**
   * The transaction for {@code forwards} on {@code bridge} (its containers' {@code subnet}) and the
   * addresses turned off ({@code blocked}).
   */
  static String render(String bridge, String subnet, List<Dnat> forwards, List<Blocked> blocked) {
    StringBuilder s = new StringBuilder();
    String table = "table " + FAMILY + " " + TABLE;
    s.append(table).append(" {}\n");
    s.append("delete ").append(table).append('\n');
    if (forwards.isEmpty() && blocked.isEmpty()) {
      return s.toString(); // nothing to do, no table: an idle startd leaves the host's rules alone
    }
    s.append(table).append(" {\n");
    s.append("  comment \"hearth startd: port forwards into containers, addresses turned off")
        .append(" (docs/networking.md)\"\n");
    if (!blocked.isEmpty()) {
      firewall(s, blocked);
    }
    if (!forwards.isEmpty()) {
      nat(s, bridge, subnet, forwards, !blocked.isEmpty());
    }
    s.append("}\n");
    return s.toString();
  }

  /**
   * The addresses turned off: {@code input} refuses what is addressed to the host's own listeners
   * (TCP with a reset, UDP with port-unreachable, so a client learns at once), established
   * connections included, so turning an address off ends what it carried.
   */
  private static void firewall(StringBuilder s, List<Blocked> blocked) {
    set(s, BLOCKED4, "ipv4_addr", blocked.stream().filter(b -> !v6(b)).toList());
    set(s, BLOCKED6, "ipv6_addr", blocked.stream().filter(NftRuleset::v6).toList());
    chain(
        s,
        "input",
        "filter hook input priority filter",
        refusals("ip daddr . th dport", "ip6 daddr . th dport"));
  }

  private static List<String> refusals(String v4Key, String v6Key) {
    return List.of(
        "meta l4proto tcp " + v4Key + " @" + BLOCKED4 + " reject with tcp reset",
        "meta l4proto udp " + v4Key + " @" + BLOCKED4 + " reject",
        "meta l4proto tcp " + v6Key + " @" + BLOCKED6 + " reject with tcp reset",
        "meta l4proto udp " + v6Key + " @" + BLOCKED6 + " reject");
  }

  private static void set(StringBuilder s, String name, String type, List<Blocked> members) {
    s.append("  set ").append(name).append(" {\n");
    s.append("    type ").append(type).append(" . inet_service\n");
    if (!members.isEmpty()) {
      List<String> elements =
          members.stream()
              .sorted(
                  Comparator.comparing((Blocked b) -> b.address().getHostAddress())
                      .thenComparingInt(Blocked::port))
              .map(b -> InterfaceScan.text(b.address()) + " . " + b.port())
              .distinct()
              .toList();
      s.append("    elements = { ").append(String.join(", ", elements)).append(" }\n");
    }
    s.append("  }\n");
  }

  private static boolean v6(Blocked b) {
    return b.address() instanceof java.net.Inet6Address;
  }

  private static void nat(
      StringBuilder s, String bridge, String subnet, List<Dnat> forwards, boolean blocking) {
    String br = quote(bridge);
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
    List<String> forward = new ArrayList<>();
    if (blocking) { // a forwarded packet's address before DNAT is the one the user turned off
      forward.addAll(
          refusals(
              "ct original ip daddr . ct original proto-dst",
              "ct original ip6 daddr . ct original proto-dst"));
    }
    forward.add("oifname " + br + " ct state established,related accept");
    forward.add("oifname " + br + " ct status dnat accept");
    forward.add("oifname " + br + " drop");
    chain(s, "forward", "filter hook forward priority filter", forward);
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
