package dev.hearth.startd.net.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The responder on a real link, queried by an independent client ({@code mdns-query.py}, Python's
 * standard library only) in a network namespace made for the test. The server end of the veth,
 * {@code hm-<hex>}, stays in the root namespace so the responder runs in this JVM; it is the only
 * interface the responder is given, and its peer lives in the test's namespace, so nothing of ours
 * reaches the machine's real network. IPv6: the test gives the veth a ULA ({@code fd54:1<hex>::1},
 * without DAD so it is usable at once) and expects it as the AAAA answer.
 */
class MdnsIT {
  private static final String HEX = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  private static final String NS = "hearth-m" + HEX;
  private static final String SERVER_LINK = "hm-" + HEX;
  private static final String CLIENT_LINK = "hc-" + HEX;
  private static final int SUBNET = Integer.parseInt(HEX.substring(0, 2), 16);
  private static final String SERVER_V4 = "10.254." + SUBNET + ".1";
  private static final String CLIENT_V4 = "10.254." + SUBNET + ".2";
  // A group of four digits that starts with 1: written as the query client prints it (RFC 5952
  // drops a leading zero, so a random group such as 03ae came back as 3ae and the test failed).
  private static final String SERVER_V6 = "fd54:1" + HEX.substring(0, 3) + "::1";
  private static final Duration NEGATIVE_WAIT = Duration.ofMillis(800); // replies come in ~ms

  private static Path client;
  private static MdnsInterface link;
  private static boolean created;

  @BeforeAll
  static void link() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "MdnsIT needs root to create a veth pair and a network namespace; skipped as "
            + System.getProperty("user.name"));
    client = Files.createTempFile("mdns-query", ".py");
    try (InputStream in = MdnsIT.class.getResourceAsStream("mdns-query.py")) {
      Files.write(client, in.readAllBytes());
    }
    sh("ip", "netns", "add", NS);
    created = true;
    sh("ip", "link", "add", SERVER_LINK, "type", "veth", "peer", "name", CLIENT_LINK, "netns", NS);
    sh("ip", "addr", "add", SERVER_V4 + "/24", "dev", SERVER_LINK);
    sh("ip", "addr", "add", SERVER_V6 + "/64", "dev", SERVER_LINK, "nodad");
    sh("ip", "link", "set", SERVER_LINK, "up");
    sh("ip", "-n", NS, "link", "set", "lo", "up");
    sh("ip", "-n", NS, "addr", "add", CLIENT_V4 + "/24", "dev", CLIENT_LINK);
    sh("ip", "-n", NS, "link", "set", CLIENT_LINK, "up");
    link =
        new MdnsInterface(
            SERVER_LINK,
            List.of(InetAddress.getByName(SERVER_V4), InetAddress.getByName(SERVER_V6)));
  }

  @AfterAll
  static void removeLink() throws Exception {
    if (created) {
      // each step even if an earlier one failed; deleting the veth takes its peer with it
      new ProcessBuilder("ip", "link", "del", SERVER_LINK).inheritIO().start().waitFor();
      run(List.of("ip", "netns", "del", NS));
    }
    if (client != null) {
      Files.deleteIfExists(client);
    }
  }

  @Test
  void theNameResolvesToTheInterfaceAddress() throws Exception {
    try (Mdns mdns = new Mdns()) {
      mdns.serve("hearth" + HEX, Set.of(link));
      assertThat(query("hearth" + HEX + ".local", "A", Duration.ofSeconds(3)))
          .containsExactly("hearth" + HEX + ".local A 10 " + SERVER_V4);
    }
  }

  @Test
  void anAaaaQueryGetsTheInterfaceIpv6Address() throws Exception {
    try (Mdns mdns = new Mdns()) {
      mdns.serve("hearth" + HEX, Set.of(link));
      assertThat(query("hearth" + HEX + ".local", "AAAA", Duration.ofSeconds(3)))
          .containsExactly("hearth" + HEX + ".local AAAA 10 " + SERVER_V6);
    }
  }

  @Test
  void anUnknownNameDoesNotResolve() throws Exception {
    try (Mdns mdns = new Mdns()) {
      mdns.serve("hearth" + HEX, Set.of(link));
      assertThat(query("other" + HEX + ".local", "A", NEGATIVE_WAIT)).isEmpty();
    }
  }

  @Test
  void aRenameAnswersTheNewNameAtOnceAndSaysGoodbyeToTheOld() throws Exception {
    String old = "old" + HEX;
    String renamed = "new" + HEX;
    try (Mdns mdns = new Mdns()) {
      mdns.serve(old, Set.of(link));
      Listener heard = Listener.start(Duration.ofSeconds(3));
      mdns.serve(renamed, Set.of(link));
      assertThat(query(renamed + ".local", "A", Duration.ofSeconds(3)))
          .containsExactly(renamed + ".local A 10 " + SERVER_V4);
      assertThat(query(old + ".local", "A", NEGATIVE_WAIT)).isEmpty();
      assertThat(heard.records())
          .contains(
              old + ".local A 0 " + SERVER_V4,
              old + ".local AAAA 0 " + SERVER_V6,
              renamed + ".local A 120 " + SERVER_V4,
              renamed + ".local AAAA 120 " + SERVER_V6);
    }
  }

  @Test
  void anInterfaceLeftOutStopsAnsweringAfterAGoodbye() throws Exception {
    String name = "gone" + HEX;
    try (Mdns mdns = new Mdns()) {
      mdns.serve(name, Set.of(link));
      Listener heard = Listener.start(Duration.ofSeconds(2));
      mdns.serve(name, Set.of());
      assertThat(mdns.interfaces()).isEmpty();
      assertThat(query(name + ".local", "A", NEGATIVE_WAIT)).isEmpty();
      assertThat(heard.records()).contains(name + ".local A 0 " + SERVER_V4);
    }
  }

  @Test
  void servingTheSameStateAgainSendsNothingAndCloseSaysGoodbye() throws Exception {
    String name = "same" + HEX;
    Mdns mdns = new Mdns();
    mdns.serve(name, Set.of(link));
    await().pollDelay(Duration.ofMillis(1200)).until(() -> true); // the second announcement is out
    Listener heard = Listener.start(Duration.ofSeconds(2));
    mdns.serve(name.toUpperCase(java.util.Locale.ROOT), Set.of(link));
    mdns.close();
    assertThat(heard.records())
        .containsExactlyInAnyOrder(
            name + ".local A 0 " + SERVER_V4, name + ".local AAAA 0 " + SERVER_V6);
  }

  @Test
  void aFloodOfMulticastQueriesGetsAboutOneAnswerPerSecond() throws Exception {
    String name = "flood" + HEX;
    try (Mdns mdns = new Mdns()) {
      mdns.serve(name, Set.of(link));
      await()
          .pollDelay(Duration.ofMillis(1200))
          .until(() -> true); // the second announcement is out
      // 1,000 queries over 2 s from port 5353, each asking for a multicast answer (RFC 6762 §5.2);
      // the record may go out once per second (§6), so 2 or 3 answers, never 1,000
      List<String> heard =
          query(
              name + ".local",
              "A",
              Duration.ofSeconds(1),
              "--mdns",
              "--count",
              "1000",
              "--spread",
              "2",
              "--all");
      assertThat(heard).allMatch((name + ".local A 120 " + SERVER_V4)::equals);
      assertThat(heard).hasSizeBetween(1, 4);
      assertThat(query(name + ".local", "A", Duration.ofSeconds(3)))
          .as("a legacy query right after the flood")
          .containsExactly(name + ".local A 10 " + SERVER_V4);
    }
  }

  @Test
  void aFloodOfLegacyQueriesFromOneClientGetsAFewAnswersThenItIsAnsweredAgain() throws Exception {
    String name = "legacy" + HEX;
    try (Mdns mdns = new Mdns()) {
      mdns.serve(name, Set.of(link));
      List<String> replies =
          query(name + ".local", "A", Duration.ofSeconds(1), "--count", "1000", "--all");
      assertThat(replies).allMatch((name + ".local A 10 " + SERVER_V4)::equals);
      assertThat(replies).hasSizeBetween(1, 20);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !query(name + ".local", "A", Duration.ofMillis(500)).isEmpty());
    }
  }

  @Test
  void aQueryThatAlreadyHoldsTheAnswerWithHalfItsTtlGetsNone() throws Exception {
    String name = "known" + HEX + ".local";
    try (Mdns mdns = new Mdns()) {
      mdns.serve("known" + HEX, Set.of(link));
      // RFC 6762 §7.1: suppressed when the known answer has at least half of our 120 s left;
      // QU (§5.4) so the answer is unicast and the once-a-second multicast pacing plays no part
      assertThat(query(name, "A", NEGATIVE_WAIT, "--qu", "--known", "120:" + SERVER_V4)).isEmpty();
      assertThat(query(name, "A", NEGATIVE_WAIT, "--qu", "--known", "60:" + SERVER_V4)).isEmpty();
      assertThat(query(name, "A", Duration.ofSeconds(3), "--qu", "--known", "59:" + SERVER_V4))
          .containsExactly(name + " A 120 " + SERVER_V4);
      assertThat(query(name, "A", Duration.ofSeconds(3), "--qu", "--known", "120:" + CLIENT_V4))
          .as("a known answer with another address")
          .containsExactly(name + " A 120 " + SERVER_V4);
    }
  }

  @Test
  void anInterfaceThatFailsOrVanishesDoesNotStopTheOthersAndCloseIsQuick() throws Exception {
    String name = "fault" + HEX;
    String vanishing = "hn-" + HEX;
    String missing = "hx-" + HEX;
    InetAddress other = InetAddress.getByName("10.253." + SUBNET + ".1");
    sh("ip", "link", "add", vanishing, "type", "veth", "peer", "name", "hd-" + HEX, "netns", NS);
    try {
      sh("ip", "addr", "add", other.getHostAddress() + "/24", "dev", vanishing);
      sh("ip", "link", "set", vanishing, "up");
      MdnsInterface gone = new MdnsInterface(vanishing, List.of(other));
      Mdns mdns = new Mdns();
      assertThatThrownBy(() ->
              mdns.serve(name, Set.of(link, gone, new MdnsInterface(missing, List.of(other)))))
          .isInstanceOf(IOException.class)
          .hasMessage("mDNS: no network interface " + missing);
      assertThat(mdns.interfaces()).containsExactlyInAnyOrder(SERVER_LINK, vanishing);
      sh("ip", "link", "del", vanishing); // its sockets now fail to send; its reader may see errors
      assertThat(query(name + ".local", "A", Duration.ofSeconds(3)))
          .containsExactly(name + ".local A 10 " + SERVER_V4);
      long start = System.nanoTime();
      mdns.serve(name, Set.of(link)); // a goodbye into a deleted link, then leave it
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
      assertThat(query(name + ".local", "A", Duration.ofSeconds(3)))
          .containsExactly(name + ".local A 10 " + SERVER_V4);
      start = System.nanoTime();
      mdns.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    } finally {
      new ProcessBuilder("ip", "link", "del", vanishing).start().waitFor(); // gone if we got here
    }
  }

  /**
   * A query from the namespace, legacy unless {@code options} say otherwise (see {@code
   * mdns-query.py}); the address records of the first reply, or of every reply with {@code --all}.
   */
  private static List<String> query(String name, String type, Duration wait, String... options)
      throws Exception {
    double seconds = wait.toMillis() / 1000.0;
    List<String> command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                NS,
                "python3",
                client.toString(),
                "query",
                CLIENT_V4,
                name,
                type,
                Double.toString(seconds)));
    command.addAll(List.of(options));
    return run(command);
  }

  /** A client in the namespace hearing every multicast response for a while. */
  private record Listener(Process process, BufferedReader out) {
    static Listener start(Duration duration) throws IOException {
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  NS,
                  "python3",
                  client.toString(),
                  "listen",
                  CLIENT_V4,
                  Double.toString(duration.toMillis() / 1000.0))
              .redirectErrorStream(true)
              .start();
      BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
      assertThat(out.readLine()).as("the listener joined the group").isEqualTo("listening");
      return new Listener(p, out);
    }

    List<String> records() throws Exception {
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      return out.lines().toList();
    }
  }

  private static void sh(String... command) throws Exception {
    List<String> out = run(List.of(command));
    assertThat(out).as(String.join(" ", command)).isEmpty();
  }

  /** Runs a command; its output lines. Fails the test on a non-zero exit. */
  private static List<String> run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>(p.inputReader(StandardCharsets.UTF_8).lines().toList());
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + lines).isZero();
    return lines;
  }
}
