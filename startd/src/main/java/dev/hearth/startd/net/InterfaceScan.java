package dev.hearth.startd.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Finds the server's gateways: the network interfaces it can be reached through, with their
 * addresses. Reads the kernel through the JDK (netlink underneath) and sysfs; runs no program.
 * Interfaces of our own (the containers' bridge and their veths) are never gateways.
 */
final class InterfaceScan {
  private static final Path SYS_NET = Path.of("/sys/class/net");
  private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

  private final GatewayChoice choice;

  InterfaceScan(GatewayChoice choice) {
    this.choice = choice;
  }

  /** The gateways now, by interface name, with the kernel's view only (no user settings). */
  Map<String, GatewayInfo> scan() {
    Map<String, GatewayInfo> out = new TreeMap<>();
    List<String> dns = nameservers();
    List<NetworkInterface> nics;
    try {
      nics = Collections.list(NetworkInterface.getNetworkInterfaces());
    } catch (SocketException e) {
      return out;
    }
    for (NetworkInterface nic : nics) {
      GatewayInfo.IpInfo info = info(nic, dns);
      if (info != null) {
        out.put(
            nic.getName(), new GatewayInfo(null, null, info, GatewayInfo.Type.INBOUND_OUTBOUND));
      }
    }
    return out;
  }

  private GatewayInfo.@Nullable IpInfo info(NetworkInterface nic, List<String> dns) {
    try {
      if (!nic.isUp() || !choice.admits(nic.getName())) {
        return null;
      }
      InetAddress only = choice.only();
      if (only == null && nic.isLoopback()) {
        return null;
      }
      List<String> subnets = new ArrayList<>();
      List<String> ips = new ArrayList<>();
      for (InterfaceAddress a : nic.getInterfaceAddresses()) {
        InetAddress ip = a.getAddress();
        if (only != null && !ip.equals(only)) {
          continue;
        }
        String text = text(ip);
        ips.add(text);
        subnets.add(text + "/" + a.getNetworkPrefixLength());
      }
      if (ips.isEmpty()) {
        return null;
      }
      // v4 first, then v6, each in address order: a stable order keeps the model from churning
      List<String> sorted = new ArrayList<>(ips);
      sorted.sort(InterfaceScan::compareAddresses);
      subnets.sort(InterfaceScan::compareAddresses);
      return new GatewayInfo.IpInfo(
          nic.getName(),
          nic.getIndex(),
          deviceType(nic),
          subnets,
          sorted,
          null,
          List.of(),
          nic.isLoopback() ? List.of() : dns);
    } catch (SocketException e) {
      return null; // gone while we looked
    }
  }

  /** An address as the model writes it: IPv6 without the JDK's {@code %scope} suffix. */
  static String text(InetAddress ip) {
    String s = ip.getHostAddress();
    int scope = s.indexOf('%');
    return ip instanceof Inet6Address && scope >= 0 ? s.substring(0, scope) : s;
  }

  private static int compareAddresses(String a, String b) {
    boolean v6a = a.contains(":");
    boolean v6b = b.contains(":");
    return v6a != v6b ? Boolean.compare(v6a, v6b) : a.compareTo(b);
  }

  private static GatewayInfo.@Nullable DeviceType deviceType(NetworkInterface nic)
      throws SocketException {
    if (nic.isLoopback()) {
      return GatewayInfo.DeviceType.LOOPBACK;
    }
    Path dir = SYS_NET.resolve(nic.getName());
    if (Files.isDirectory(dir.resolve("wireless")) || Files.isDirectory(dir.resolve("phy80211"))) {
      return GatewayInfo.DeviceType.WIRELESS;
    }
    if (Files.isDirectory(dir.resolve("bridge"))) {
      return GatewayInfo.DeviceType.BRIDGE;
    }
    String uevent = read(dir.resolve("uevent"));
    if (uevent.contains("DEVTYPE=wireguard")) {
      return GatewayInfo.DeviceType.WIREGUARD;
    }
    return read(dir.resolve("type")).strip().equals("1") ? GatewayInfo.DeviceType.ETHERNET : null;
  }

  /** The resolvers of {@code /etc/resolv.conf}, which every interface shares here. */
  private static List<String> nameservers() {
    List<String> out = new ArrayList<>();
    for (String line : read(RESOLV_CONF).split("\n")) {
      String[] words = line.strip().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        out.add(words[1]);
      }
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Whether {@code ip} is one the public internet can route to (for IPv4: not RFC 1918 etc.). */
  static boolean isPublic(InetAddress ip) {
    if (ip.isLoopbackAddress()
        || ip.isLinkLocalAddress()
        || ip.isSiteLocalAddress()
        || ip.isAnyLocalAddress()
        || ip.isMulticastAddress()) {
      return false;
    }
    byte[] b = ip.getAddress();
    if (ip instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
          && !(first == 192 && second == 0 && (b[2] & 0xff) == 0);
    }
    return (b[0] & 0xfe) != 0xfc; // fc00::/7 is unique local
  }
}
