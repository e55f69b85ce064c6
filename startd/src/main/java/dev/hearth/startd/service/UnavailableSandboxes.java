package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.net.Dnat;
import dev.hearth.startd.net.NatTable;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * This machine cannot make containers; every attempt says why. The firewall still works: turning an
 * address of the server's own UI off must refuse it whether or not services can run, so a table of
 * startd's own is opened in the daemon's namespace the first time an address is turned off.
 */
final class UnavailableSandboxes implements Sandboxes, AutoCloseable {
  private final String reason;
  private @Nullable NatTable firewall; // guarded by this

  UnavailableSandboxes(String reason) {
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  @Override
  public Sandbox create(Spec spec) {
    throw failure();
  }

  @Override
  public void checkContents(PackageFile pkg) {
    throw failure();
  }

  StartException failure() {
    return new StartException(ErrorKind.LXC, reason);
  }

  @Override
  public List<Gateway> gateways() {
    return List.of();
  }

  @Override
  public Inet4Address hostAddress() {
    throw failure();
  }

  @Override
  public synchronized void block(List<dev.hearth.startd.net.Blocked> addresses) {
    if (firewall == null) {
      if (addresses.isEmpty()) {
        return; // nothing to refuse: no table
      }
      firewall = NatTable.firewallOnly();
    }
    firewall.block(addresses);
  }

  @Override
  public synchronized void close() {
    if (firewall != null) {
      firewall.close();
      firewall = null;
    }
  }

  @Override
  public void dnat(List<Dnat> forwards) {
    if (!forwards.isEmpty()) {
      throw failure();
    }
  }

  @Override
  public Forward forward(int port, InetSocketAddress target) {
    throw failure();
  }
}
