package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.net.Dnat;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;

/** This machine cannot make containers; every attempt says why. */
record UnavailableSandboxes(String reason) implements Sandboxes {
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
  public void block(List<dev.hearth.startd.net.Blocked> addresses) {
    if (!addresses.isEmpty()) {
      throw failure(); // no table to refuse them in: say so rather than pretend
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
