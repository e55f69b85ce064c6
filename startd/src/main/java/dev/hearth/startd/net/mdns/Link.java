package dev.hearth.startd.net.mdns;

import dev.hearth.startd.net.mdns.DnsWire.Answer;
import dev.hearth.startd.net.mdns.DnsWire.Malformed;
import dev.hearth.startd.net.mdns.DnsWire.Message;
import dev.hearth.startd.net.mdns.DnsWire.Question;
import dev.hearth.startd.net.mdns.DnsWire.Record;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder on one interface: a channel per address family the interface is served with, each
 * bound to the mDNS group (so it never sees unicast traffic) and joined on this interface only, and
 * a virtual thread per channel that answers queries for the served name.
 *
 * <p>Why the source check ({@link #onLink}): on Linux a socket bound to the group receives the
 * group's packets from every interface where any socket of the namespace joined it ({@code
 * IP_MULTICAST_ALL} defaults to 1, and the JDK cannot clear it or read {@code IP_PKTINFO}). The
 * IPv6 channel is bound to {@code ff02::fb%nic}, which the kernel turns into a device binding; the
 * IPv4 one is not, so an IPv4 query is answered only when its source lies in one of this
 * interface's subnets, or it would be answered with this interface's addresses on the wrong link.
 *
 * <p>Hostile clients: a query is parsed by {@link DnsWire#parse}, which never throws and keeps only
 * what is about our host; answers are paced by {@link AnswerLimits}; a query that already holds an
 * answer with at least half its TTL left gets none (RFC 6762 §7.1). A reader that hits a socket
 * error pauses {@link #ERROR_PAUSE} and goes on, so an interface in trouble neither spins a CPU nor
 * stops the others, which have their own channels and threads.
 */
final class Link implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Link.class);
  static final int PORT = 5353; // RFC 6762 §3
  private static final InetAddress GROUP4 = address("224.0.0.251");
  private static final int MAX_PACKET_BYTES = 9000; // RFC 6762 §17: jumbo frames at most
  // a reader ends as soon as its channel is closed and it is interrupted; this only bounds close()
  static final Duration JOIN_GRACE = Duration.ofMillis(300);
  private static final Duration ERROR_PAUSE = Duration.ofMillis(100); // then receive again

  /** What this interface answers with (host is {@code name.local}); replaced whole. */
  private record Served(String host, List<InetAddress> addresses, List<InterfaceAddress> subnets) {}

  private final NetworkInterface nic;
  private final Set<ProtocolFamily> families;
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final AnswerLimits limits;
  private volatile Served served; // written by the Mdns caller, read by the readers

  private Link(
      NetworkInterface nic, Set<ProtocolFamily> families, Served served, InstantSource clock) {
    this.nic = nic;
    this.families = families;
    this.served = served;
    this.limits = new AnswerLimits(clock);
  }

  /** Joins the group on {@code name} for each family of {@code addresses}; sends nothing. */
  static Link open(MdnsInterface iface, String host, InstantSource clock) throws IOException {
    NetworkInterface nic = NetworkInterface.getByName(iface.name());
    if (nic == null) {
      throw new IOException("mDNS: no network interface " + iface.name());
    }
    Link link =
        new Link(nic, families(iface.addresses()), served(nic, host, iface.addresses()), clock);
    try {
      for (ProtocolFamily f : link.families) {
        link.channels.add(link.join(f));
      }
    } catch (IOException | RuntimeException e) {
      link.close();
      throw new IOException("mDNS: cannot join the group on " + iface.name() + ": " + e, e);
    }
    for (DatagramChannel ch : link.channels) {
      ProtocolFamily family = family(group(ch).getAddress());
      link.readers.add(
          Thread.ofVirtual().name("mdns-" + iface.name()).start(() -> link.read(ch, family)));
    }
    return link;
  }

  static Set<ProtocolFamily> families(List<InetAddress> addresses) {
    Set<ProtocolFamily> fs = new LinkedHashSet<>();
    for (InetAddress a : addresses) {
      fs.add(family(a));
    }
    return Set.copyOf(fs);
  }

  private static ProtocolFamily family(InetAddress a) {
    return a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
  }

  Set<ProtocolFamily> families() {
    return families;
  }

  String host() {
    return served.host();
  }

  List<InetAddress> addresses() {
    return served.addresses();
  }

  /** Answers for {@code host} with {@code addresses} from now on. */
  void serve(String host, List<InetAddress> addresses) throws IOException {
    served = served(nic, host, addresses);
  }

  /** Sends every record of {@code host} with {@code ttl} to the group; 0 is a goodbye. */
  void announce(String host, List<InetAddress> addresses, Duration ttl) {
    List<Answer> answers = addresses.stream().map(a -> new Answer(host, a)).toList();
    if (answers.isEmpty()) {
      return;
    }
    byte[] packet = DnsWire.response(answers, ttl);
    for (DatagramChannel ch : channels) {
      InetSocketAddress group = group(ch);
      if (ttl.isPositive()) {
        limits.announced(family(group.getAddress()), answers);
      }
      send(ch, packet, group);
    }
  }

  private DatagramChannel join(ProtocolFamily family) throws IOException {
    DatagramChannel ch = DatagramChannel.open(family);
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // other responders may share 5353
      ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nic);
      ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255); // RFC 6762 §11
      ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
      InetAddress group = family == StandardProtocolFamily.INET ? GROUP4 : group6(nic);
      ch.bind(new InetSocketAddress(group, PORT));
      ch.join(group, nic);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static InetSocketAddress group(DatagramChannel ch) {
    return (InetSocketAddress) localAddress(ch);
  }

  private static SocketAddress localAddress(DatagramChannel ch) {
    try {
      return ch.getLocalAddress();
    } catch (IOException e) {
      return new InetSocketAddress(GROUP4, PORT); // only when closed; the send then fails quietly
    }
  }

  private void read(DatagramChannel ch, ProtocolFamily family) {
    ByteBuffer buf = ByteBuffer.allocate(MAX_PACKET_BYTES);
    while (ch.isOpen()) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
        buf.flip();
        if (from == null || !onLink(from.getAddress())) {
          continue;
        }
        Served s = served;
        switch (DnsWire.parse(buf, s.host())) {
          case Message m when m.isQuery() && !m.questions().isEmpty() ->
              answer(ch, family, from, s, m);
          case Message _ -> {} // a response, another opcode, or not about us
          case Malformed bad -> log.debug("mDNS: on {} from {}: {}", nic.getName(), from, bad);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) { // a bug must not silence the interface either
        log.warn("mDNS: receive on {} failed; again in {}", nic.getName(), ERROR_PAUSE, e);
        try {
          Thread.sleep(ERROR_PAUSE);
        } catch (InterruptedException stop) {
          return; // close() interrupts
        }
      }
    }
  }

  private void answer(
      DatagramChannel ch, ProtocolFamily family, InetSocketAddress from, Served s, Message query) {
    List<Answer> answers = new ArrayList<>();
    for (InetAddress a : s.addresses()) {
      if (query.questions().stream().anyMatch(q -> DnsWire.answers(q.type(), a))
          && !known(query.answers(), a)) {
        answers.add(new Answer(s.host(), a));
      }
    }
    if (answers.isEmpty()) {
      return;
    }
    if (from.getPort() != PORT) { // RFC 6762 §6.7: a legacy resolver gets one unicast reply
      if (limits.unicast(from.getAddress())) {
        send(ch, DnsWire.legacyResponse(query.id(), s.host(), query.questions(), answers), from);
      }
      return;
    }
    if (query.questions().stream().allMatch(Question::unicastResponse)) { // RFC 6762 §5.4: QU
      if (limits.unicast(from.getAddress())) {
        send(ch, DnsWire.response(answers, Mdns.TTL), from);
      }
      return;
    }
    List<Answer> allowed = limits.multicast(family, answers, query.isProbe());
    if (!allowed.isEmpty()) {
      send(ch, DnsWire.response(allowed, Mdns.TTL), group(ch));
    }
  }

  /** RFC 6762 §7.1: the querier lists {@code address} with at least half our TTL left. */
  private static boolean known(List<Record> knownAnswers, InetAddress address) {
    for (Record r : knownAnswers) {
      if (DnsWire.sameAddress(r.address(), address)
          && r.ttl().multipliedBy(2).compareTo(Mdns.TTL) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code source} is a neighbour on this link (see the class comment). */
  private boolean onLink(InetAddress source) {
    if (source instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
      return v6.getScopeId() == nic.getIndex();
    }
    for (InterfaceAddress subnet : served.subnets()) {
      if (sameSubnet(source, subnet.getAddress(), subnet.getNetworkPrefixLength())) {
        return true;
      }
    }
    return false;
  }

  static boolean sameSubnet(InetAddress a, InetAddress b, int prefix) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length || prefix < 0 || prefix > x.length * 8) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private void send(DatagramChannel ch, byte[] packet, SocketAddress to) {
    try {
      ch.send(ByteBuffer.wrap(packet), to);
    } catch (IOException e) { // the interface went down or lost its address: the caller will tell
      log.debug("mDNS: send on {} to {} failed", nic.getName(), to, e);
    }
  }

  /** Leaves the group and stops the readers, waiting at most {@link #JOIN_GRACE} for them. */
  @Override
  public void close() {
    stop();
    await(Instant.now().plus(JOIN_GRACE));
  }

  /** Closes the channels and interrupts the readers; returns at once. */
  void stop() {
    for (DatagramChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        log.debug("mDNS: close on {} failed", nic.getName(), e);
      }
    }
    readers.forEach(Thread::interrupt);
  }

  /** Waits for the readers to end, until {@code deadline} at the latest. */
  void await(Instant deadline) {
    for (Thread t : readers) {
      try {
        Duration left = Duration.between(Instant.now(), deadline);
        if (!left.isPositive() || !t.join(left)) {
          log.warn("mDNS: reader on {} still running after close", nic.getName());
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Served served(NetworkInterface nic, String host, List<InetAddress> addresses)
      throws IOException {
    NetworkInterface fresh =
        NetworkInterface.getByName(nic.getName()); // subnets change at run time
    List<InterfaceAddress> subnets =
        fresh == null ? List.of() : List.copyOf(fresh.getInterfaceAddresses());
    return new Served(host, List.copyOf(addresses), subnets);
  }

  private static InetAddress group6(NetworkInterface nic) throws IOException {
    return Inet6Address.getByAddress(null, GROUP6_BYTES, nic); // ff02::fb scoped to nic
  }

  private static final byte[] GROUP6_BYTES = {
    (byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xfb
  };

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public String toString() {
    return "Link[" + nic.getName() + "]";
  }
}
