package dev.hearth.startd.net;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade of this package: {@code startd}'s nftables table in the bridge's namespace, made to
 * match a list of {@link Dnat} forwards. Opening it removes whatever a previous run left (the
 * forwards come back as services bind again); closing it removes the table. Thread-safe: calls are
 * serialized, and each replaces the whole table.
 */
public final class NatTable implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatTable.class);
  private static final Duration NFT_LIMIT = Duration.ofSeconds(20); // 1000 elements take ~50 ms
  private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

  private final @Nullable String netns;
  private final String bridge;
  private final String subnet;
  private final boolean firewallOnly; // no bridge: refusals only, never forwards
  private boolean forwarding; // guarded by this: ip_forward switched on by us or found on
  private List<Dnat> forwards = List.of(); // guarded by this
  private List<Blocked> blocked = List.of(); // guarded by this

  private NatTable(@Nullable String netns, String bridge, String subnet, boolean firewallOnly) {
    this.netns = netns;
    this.bridge = bridge;
    this.subnet = subnet;
    this.firewallOnly = firewallOnly;
  }

  /**
   * The table of the bridge {@code bridge} (containers' {@code subnet}) in namespace {@code netns}
   * (null: the host's), emptied.
   *
   * @throws StartException ({@link ErrorKind#NETWORK}) if {@code nft} is missing or refuses
   */
  public static NatTable open(@Nullable String netns, String bridge, String subnet) {
    NatTable t = new NatTable(netns, bridge, subnet, false);
    t.set(List.of());
    return t;
  }

  /**
   * The table in the host's namespace where there is no bridge (containers cannot run here): it
   * refuses the addresses turned off ({@link #block}) and holds no forwards.
   *
   * @throws StartException ({@link ErrorKind#NETWORK}) if {@code nft} is missing or refuses
   */
  public static NatTable firewallOnly() {
    NatTable t = new NatTable(null, "", "", true);
    t.set(List.of());
    return t;
  }

  /**
   * Makes the table hold exactly {@code forwards}; the first forward also switches on IPv4
   * forwarding in the namespace (a DNATed packet is routed to the bridge).
   *
   * @throws StartException ({@link ErrorKind#NETWORK}) if nft refuses; the table is then unchanged
   */
  public synchronized void set(List<Dnat> forwards) {
    if (firewallOnly && !forwards.isEmpty()) {
      throw new IllegalStateException("a firewall-only table holds no forwards");
    }
    for (int i = 0; i < forwards.size(); i++) {
      for (int j = i + 1; j < forwards.size(); j++) {
        if (forwards.get(i).overlaps(forwards.get(j))) {
          throw new IllegalArgumentException(
              "forwards " + forwards.get(i) + " and " + forwards.get(j) + " overlap");
        }
      }
    }
    if (!forwards.isEmpty() && !forwarding) {
      enableForwarding();
    }
    apply(NftRuleset.render(bridge, subnet, forwards, blocked));
    this.forwards = List.copyOf(forwards);
  }

  /**
   * Makes the table refuse exactly {@code addresses} (the addresses the user turned off), beside
   * the forwards.
   *
   * @throws StartException ({@link ErrorKind#NETWORK}) if nft refuses; the table is then unchanged
   */
  public synchronized void block(List<Blocked> addresses) {
    apply(NftRuleset.render(bridge, subnet, forwards, addresses));
    this.blocked = List.copyOf(addresses);
  }

  /** The table as nft lists it, or "" if there is none: for diagnostics and tests. */
  public String list() {
    Result r = run(inNamespace("nft", "list", "table", NftRuleset.FAMILY, NftRuleset.TABLE));
    return r.exit == 0 ? r.output : "";
  }

  @Override
  public synchronized void close() {
    try {
      apply(NftRuleset.render(bridge, subnet, List.of()));
      forwards = List.of();
      blocked = List.of();
    } catch (StartException e) {
      log.warn(
          "could not remove nft table {} {}: {}",
          NftRuleset.FAMILY,
          NftRuleset.TABLE,
          e.getMessage());
    }
  }

  private void apply(String script) {
    Path file = null;
    try {
      file = Files.createTempFile("hearth-nft", ".nft");
      Files.writeString(file, script, StandardCharsets.UTF_8);
      Result r = run(inNamespace("nft", "-f", file.toString()));
      if (r.exit != 0) {
        throw new StartException(
            ErrorKind.NETWORK, "nft refused the port forwards table: " + r.output.strip());
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write the nft script", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  /**
   * A DNATed packet is forwarded, not delivered locally. Only the bridge's namespace is changed,
   * and only once a forward needs it; the table's {@code forward} chain keeps anything but
   * forwarded connections off the bridge.
   */
  private void enableForwarding() {
    if (netns == null) {
      try {
        if (!Files.readString(IP_FORWARD).strip().equals("1")) {
          Files.writeString(IP_FORWARD, "1\n");
          log.info("switched on IPv4 forwarding for port forwards into containers");
        }
      } catch (IOException e) {
        throw new StartException(ErrorKind.NETWORK, "cannot switch on IPv4 forwarding", e);
      }
    } else {
      Result r = run(inNamespace("sysctl", "-qw", "net.ipv4.ip_forward=1"));
      if (r.exit != 0) {
        throw new StartException(
            ErrorKind.NETWORK,
            "cannot switch on IPv4 forwarding in namespace " + netns + ": " + r.output.strip());
      }
    }
    forwarding = true;
  }

  private List<String> inNamespace(String... argv) {
    List<String> out = new ArrayList<>();
    if (netns != null) {
      out.addAll(List.of("ip", "netns", "exec", netns));
    }
    out.addAll(List.of(argv));
    return out;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> argv) {
    try {
      Path out = Files.createTempFile("hearth-nft", ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(out.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8"));
        Process p = pb.start();
        if (!p.waitFor(NFT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new StartException(
              ErrorKind.TIMEOUT,
              argv.getFirst() + " did not finish in " + NFT_LIMIT.toSeconds() + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.NETWORK,
          "cannot run " + String.join(" ", argv) + " (Debian package nftables): " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.NETWORK, "interrupted running " + argv.getFirst(), e);
    }
  }
}
