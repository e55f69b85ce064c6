package dev.hearth.startd.net.mdns;

import java.net.InetAddress;
import java.util.List;

/**
 * A LAN interface to answer on, by its kernel name (e.g. {@code eth0}), and the addresses that
 * {@code <hostname>.local} resolves to there: its IPv4 addresses as A records, its IPv6 ones as
 * AAAA. Normally the interface's own addresses; the responder sends from the interface whatever the
 * list says.
 */
public record MdnsInterface(String name, List<InetAddress> addresses) {
  public MdnsInterface {
    if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.isBlank()) {
      throw new IllegalArgumentException("mDNS interface: not an interface name: '" + name + "'");
    }
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("mDNS interface " + name + ": no address to answer with");
    }
  }
}
