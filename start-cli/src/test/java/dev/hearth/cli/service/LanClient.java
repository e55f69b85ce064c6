package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client on the server's LAN: a network namespace of its own joined by a veth pair to the
 * namespace {@code startd}'s bridge lives in, which gets {@link #SERVER} on its end. Kernel
 * forwards (startd's nftables DNAT) answer there, as they do to a real LAN client, and not on the
 * host's loopback (docs/startd.md, "Port forwards").
 */
final class LanClient implements AutoCloseable {
  /** The server's address on this LAN, in the bridge's namespace. */
  static final String SERVER = "192.168.251.1";

  private static final String CLIENT = "192.168.251.2";

  final String netns;

  private LanClient(String netns) {
    this.netns = netns;
  }

  /** Joins a new LAN namespace to {@code host}'s bridge namespace. */
  static LanClient join(ServiceHost host) throws Exception {
    String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    var lan = new LanClient("hearth-l" + id);
    String ns = host.net.netns();
    run("", "ip", "netns", "add", lan.netns);
    try {
      run(
          "",
          "ip",
          "link",
          "add",
          "hl" + id + "a",
          "type",
          "veth",
          "peer",
          "name",
          "hl" + id + "b");
      run("", "ip", "link", "set", "hl" + id + "a", "netns", ns);
      run("", "ip", "link", "set", "hl" + id + "b", "netns", lan.netns);
      run("", "ip", "-n", ns, "addr", "add", SERVER + "/30", "dev", "hl" + id + "a");
      run("", "ip", "-n", ns, "link", "set", "hl" + id + "a", "up");
      run("", "ip", "-n", lan.netns, "addr", "add", CLIENT + "/30", "dev", "hl" + id + "b");
      run("", "ip", "-n", lan.netns, "link", "set", "hl" + id + "b", "up");
    } catch (Exception | AssertionError e) {
      lan.close();
      throw e;
    }
    return lan;
  }

  /**
   * What the server sends back for {@code send} to its {@code port} over {@code proto} ({@code
   * TCP4} or {@code UDP4}), read until the server closes or is quiet for two seconds.
   */
  String send(String proto, int port, String send) throws Exception {
    return run(
        send, "ip", "netns", "exec", netns, "socat", "-T2", "-", proto + ":" + SERVER + ":" + port);
  }

  @Override
  public void close() throws Exception {
    // Deleting the namespace deletes its end of the pair, and with it the other end.
    run("", "ip", "netns", "delete", netns);
  }

  /** Runs {@code argv} with {@code stdin}; its standard output, asserting that it succeeded. */
  static String run(String stdin, String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("%s finished", List.of(argv)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", List.of(argv), out).isZero();
    return out;
  }
}
