package dev.hearth.startd.net.mdns;

import dev.hearth.startd.net.mdns.DnsWire.Answer;
import dev.hearth.startd.net.mdns.DnsWire.Query;
import dev.hearth.startd.net.mdns.DnsWire.Question;
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
 */
final class Link implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Link.class);
  static final int PORT = 5353; // RFC 6762 §3
  private static final InetAddress GROUP4 = address("224.0.0.251");
  private static final int MAX_PACKET_BYTES = 9000; // RFC 6762 §17: jumbo frames at most
  private static final Duration JOIN_GRACE = Duration.ofSeconds(2); // a reader ends once closed

  /** What this interface answers with (host is {@code name.local}); replaced whole. */
  private record Served(String host, List<InetAddress> addresses, List<InterfaceAddress> subnets) {}

  private final NetworkInterface nic;
  private final Set<ProtocolFamily> families;
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private volatile Served served; // written by the Mdns caller, read by the readers

  private Link(NetworkInterface nic, Set<ProtocolFamily> families, Served served) {
    this.nic = nic;
    this.families = families;
    this.served = served;
  }

  /** Joins the group on {@code name} for each family of {@code addresses}; sends nothing. */
  static Link open(MdnsInterface iface, String host) throws IOException {
    NetworkInterface nic = NetworkInterface.getByName(iface.name());
    if (nic == null) {
      throw new IOException("mDNS: no network interface " + iface.name());
    }
    Link link = new Link(nic, families(iface.addresses()), served(nic, host, iface.addresses()));
    try {
      for (ProtocolFamily f : link.families) {
        link.channels.add(link.join(f));
      }
    } catch (IOException | RuntimeException e) {
      link.close();
      throw new IOException("mDNS: cannot join the group on " + iface.name() + ": " + e, e);
    }
    for (DatagramChannel ch : link.channels) {
      link.readers.add(Thread.ofVirtual().name("mdns-" + iface.name()).start(() -> link.read(ch)));
    }
    return link;
  }

  static Set<ProtocolFamily> families(List<InetAddress> addresses) {
    Set<ProtocolFamily> fs = new LinkedHashSet<>();
    for (InetAddress a : addresses) {
      fs.add(
          a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    }
    return Set.copyOf(fs);
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
      send(ch, packet, group(ch));
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

  private InetSocketAddress group(DatagramChannel ch) {
    return (InetSocketAddress) localAddress(ch);
  }

  private static SocketAddress localAddress(DatagramChannel ch) {
    try {
      return ch.getLocalAddress();
    } catch (IOException e) {
      return new InetSocketAddress(GROUP4, PORT); // only when closed; the send then fails quietly
    }
  }

  private void read(DatagramChannel ch) {
    ByteBuffer buf = ByteBuffer.allocate(MAX_PACKET_BYTES);
    while (ch.isOpen()) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
        buf.flip();
        if (from != null && onLink(from.getAddress())) {
          DnsWire.parseQuery(buf).ifPresent(q -> answer(ch, from, q));
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.debug("mDNS: receive on {} failed", nic.getName(), e);
      }
    }
  }

  private void answer(DatagramChannel ch, InetSocketAddress from, Query query) {
    Served s = served;
    String fqdn = s.host();
    List<Answer> all = new ArrayList<>();
    boolean unicast = true;
    for (Question q : query.questions()) {
      if (!q.name().equals(fqdn)) {
        continue;
      }
      List<Answer> answers =
          s.addresses().stream()
              .filter(a -> DnsWire.answers(q.type(), a))
              .map(a -> new Answer(fqdn, a))
              .toList();
      if (answers.isEmpty()) {
        continue;
      }
      if (from.getPort() != PORT) { // RFC 6762 §6.7: a legacy resolver gets one unicast reply
        send(ch, DnsWire.legacyResponse(query.id(), q, answers), from);
        continue;
      }
      answers.stream().filter(a -> !all.contains(a)).forEach(all::add);
      unicast &= q.unicastResponse();
    }
    if (!all.isEmpty()) {
      byte[] packet = DnsWire.response(all, Mdns.TTL);
      send(ch, packet, unicast ? from : group(ch)); // RFC 6762 §5.4: QU asks for unicast
    }
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

  @Override
  public void close() {
    for (DatagramChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        log.debug("mDNS: close on {} failed", nic.getName(), e);
      }
    }
    for (Thread t : readers) {
      try {
        t.join(JOIN_GRACE);
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
