package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.net.Inet4Address;
import java.util.BitSet;

/**
 * Hands out the containers' static addresses, lowest free first, so a restarted service usually
 * gets its old address back. Thread-safe.
 */
final class AddressPool {
  private final Ipv4Subnet subnet;
  private final BitSet used = new BitSet(); // guarded by this

  AddressPool(Ipv4Subnet subnet) {
    this.subnet = subnet;
  }

  synchronized Inet4Address allocate() {
    int slot = used.nextClearBit(0);
    if (slot >= subnet.capacity()) {
      throw new StartException(
          ErrorKind.NETWORK,
          "no free container address in " + subnet + ": all " + subnet.capacity() + " are taken");
    }
    used.set(slot);
    return subnet.container(slot);
  }

  synchronized void release(Inet4Address a) {
    int slot = Ipv4Subnet.toInt(a) - subnet.network() - 2;
    if (slot < 0 || slot >= subnet.capacity() || !used.get(slot)) {
      throw new IllegalStateException(a.getHostAddress() + " was not allocated from " + subnet);
    }
    used.clear(slot);
  }
}
