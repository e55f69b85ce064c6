package dev.hearth.startd.net;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.HostnameInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which addresses of a binding are on. A private address is on unless the user turned it off
 * ({@code addresses.disabled} holds {@code [host, port]}); a public one is off unless the user
 * turned it on ({@code addresses.enabled} holds {@code "host:port"}, IPv6 in brackets): a server
 * put on a public address must not publish a service there by surprise.
 */
public final class AddressToggles {
  private AddressToggles() {}

  public static boolean isEnabled(BindInfo.Addresses addresses, HostnameInfo h) {
    if (h.exposed()) {
      return addresses.enabled().contains(socketAddress(h));
    }
    return !addresses.disabled().contains(new BindInfo.HostPort(h.hostname(), port(h)));
  }

  /** The enabled ones of {@code addresses.available}. */
  public static List<HostnameInfo> enabled(BindInfo.Addresses addresses) {
    return addresses.available().stream().filter(h -> isEnabled(addresses, h)).toList();
  }

  /**
   * {@code addresses} with {@code h} turned on or off.
   *
   * @throws StartException (NOT_FOUND) if {@code h} is not one of the binding's addresses, or
   *     (INVALID_REQUEST) if it is a loopback one, which is how the server itself and its CLI reach
   *     it
   */
  public static BindInfo.Addresses set(BindInfo.Addresses addresses, HostnameInfo h, boolean on) {
    HostnameInfo known =
        addresses.available().stream()
            .filter(a -> same(a, h))
            .findFirst()
            .orElseThrow(() ->
                new StartException(
                    ErrorKind.NOT_FOUND,
                    "not an address of this binding: " + h.hostname() + ":" + h.port()));
    if (isLoopback(known.hostname())) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "a loopback address cannot be turned off");
    }
    List<String> enabled = new ArrayList<>(addresses.enabled());
    List<BindInfo.HostPort> disabled = new ArrayList<>(addresses.disabled());
    String socket = socketAddress(known);
    var hostPort = new BindInfo.HostPort(known.hostname(), port(known));
    enabled.remove(socket);
    disabled.remove(hostPort);
    if (known.exposed() && on) {
      enabled.add(socket);
    } else if (!known.exposed() && !on) {
      disabled.add(hostPort);
    }
    return new BindInfo.Addresses(enabled, disabled, addresses.guaAccess(), addresses.available());
  }

  /** The same address: host, port, TLS and kind (the metadata's gateways may differ in order). */
  static boolean same(HostnameInfo a, HostnameInfo b) {
    return a.hostname().equals(b.hostname())
        && Objects.equals(a.port(), b.port())
        && a.ssl() == b.ssl()
        && a.metadata().getClass() == b.metadata().getClass();
  }

  /** {@code host:port}, IPv6 in brackets: how {@code addresses.enabled} names an address. */
  public static String socketAddress(HostnameInfo h) {
    String host = h.hostname().contains(":") ? "[" + h.hostname() + "]" : h.hostname();
    return host + ":" + port(h);
  }

  private static int port(HostnameInfo h) {
    return h.port() == null ? 0 : h.port();
  }

  static boolean isLoopback(String host) {
    try {
      return host.equals("localhost") || InetAddress.ofLiteral(host).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false; // a name
    }
  }
}
