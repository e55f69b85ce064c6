package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.net.Dnat;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sandboxes without containers or sockets, for effect tests: forwards are bookkeeping (a port from
 * a counter, or the one asked for if no other forward holds it; kernel forwards as last set), and
 * there is one gateway.
 */
final class FakeSandboxes implements Sandboxes {
  volatile List<dev.hearth.startd.net.Blocked> blocked = List.of();
  static final String GATEWAY = "eth0";
  static final String LAN_IP = "192.168.1.10";

  private final AtomicInteger nextPort = new AtomicInteger(50_000);

  /** The open forwards: external port to target. */
  final Map<Integer, InetSocketAddress> open = new ConcurrentHashMap<>();

  /** The kernel forwards, as last set. */
  volatile List<Dnat> dnat = List.of();

  @Override
  public void dnat(List<Dnat> forwards) {
    dnat = List.copyOf(forwards);
  }

  @Override
  public void block(List<dev.hearth.startd.net.Blocked> addresses) {
    blocked = List.copyOf(addresses);
  }

  @Override
  public Sandbox create(Spec spec) {
    throw new UnsupportedOperationException("no containers in effect tests");
  }

  @Override
  public void checkContents(PackageFile pkg) {}

  @Override
  public List<Gateway> gateways() {
    return List.of(new Gateway(GATEWAY, LAN_IP));
  }

  @Override
  public Inet4Address hostAddress() {
    try {
      return (Inet4Address) InetAddress.getByName("10.0.3.1");
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Forward forward(int port, InetSocketAddress target) {
    int p = port == 0 ? nextPort.getAndIncrement() : port;
    if (open.putIfAbsent(p, target) != null) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "port " + p + " is taken");
    }
    return new Forward() {
      @Override
      public int port() {
        return p;
      }

      @Override
      public void close() {
        open.remove(p, target);
      }
    };
  }
}
