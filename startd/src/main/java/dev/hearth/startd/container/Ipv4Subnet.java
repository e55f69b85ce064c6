package dev.hearth.startd.container;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 network in CIDR form. The first usable address is the host's (the bridge); containers get
 * the ones after it, up to the one before the broadcast address.
 *
 * @param network the network address as an unsigned 32-bit value in an int
 * @param prefix the prefix length, 8..30
 */
record Ipv4Subnet(int network, int prefix) {
  Ipv4Subnet {
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException(
          "a container subnet needs a prefix of 8..30 bits: /" + prefix);
    }
    if ((network & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException(
          "a subnet's address must have its host bits zero: "
              + text(network)
              + "/"
              + prefix
              + " (did you mean "
              + text(network & mask(prefix))
              + "/"
              + prefix
              + "?)");
    }
  }

  /** Parses {@code a.b.c.d/n}. */
  static Ipv4Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("a subnet must be in CIDR form a.b.c.d/n: " + cidr);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a subnet's prefix must be a number: " + cidr, e);
    }
    return new Ipv4Subnet(toInt(parseAddress("subnet", cidr.substring(0, slash))), prefix);
  }

  /** Parses a dotted-quad literal (never a name: no DNS lookup). */
  static Inet4Address parseAddress(String what, String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(what + " must be an IPv4 address a.b.c.d: " + text);
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
        throw new IllegalArgumentException(what + " must be an IPv4 address a.b.c.d: " + text);
      }
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return address(bytes);
  }

  /** The host's address on the bridge. */
  Inet4Address host() {
    return address(network + 1);
  }

  Inet4Address broadcast() {
    return address(network | ~mask(prefix));
  }

  /** How many containers fit: all addresses but the network, host and broadcast ones. */
  int capacity() {
    return (1 << (32 - prefix)) - 3;
  }

  /** The address of container slot {@code index}, 0-based: slot 0 is the host's address + 1. */
  Inet4Address container(int index) {
    if (index < 0 || index >= capacity()) {
      throw new IndexOutOfBoundsException("slot " + index + " of " + capacity() + " in " + this);
    }
    return address(network + 2 + index);
  }

  /** Whether {@code address/prefix} (any prefix, 0..32) shares an address with this subnet. */
  boolean overlaps(int address, int otherPrefix) {
    int m = mask(Math.min(prefix, otherPrefix));
    return (network & m) == (address & m);
  }

  @Override
  public String toString() {
    return text(network) + "/" + prefix;
  }

  static String text(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  static int toInt(Inet4Address a) {
    byte[] b = a.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  private static int mask(int prefix) {
    return (int) (0xFFFF_FFFFL << (32 - prefix));
  }

  private static Inet4Address address(int a) {
    return address(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
  }

  private static Inet4Address address(byte[] bytes) {
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an address", e);
    }
  }
}
