package dev.hearth.startd.service;

import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.net.Dnat;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** Makes service containers, and port forwards into them. */
interface Sandboxes {
  /**
   * What a container is made of: the package's squashfs files mounted in place, its volumes bound,
   * its image metadata copied.
   */
  record Spec(String packageId, PackageFile pkg, List<Volume> volumes, ContainerIds ids) {}

  record Volume(String id, Path hostDir) {}

  Sandbox create(Spec spec) throws InterruptedException;

  /**
   * Looks inside every squashfs of the package a container would mount (its JavaScript, assets and
   * images for this machine), as the kernel will read them, and refuses what a package may not
   * carry: device nodes ({@code ImageRules}; issue 10).
   *
   * @throws dev.hearth.error.StartException ({@code VALIDATE_S9PK}) naming the image and the nodes
   */
  void checkContents(PackageFile pkg);

  /** An address on which forwarded ports are reachable, and the interface it is on. */
  record Gateway(String name, String ipv4) {}

  /** Where a forward can be reached from: the host's LAN addresses (or loopback in tests). */
  List<Gateway> gateways();

  /** The host's address on the container bridge. */
  Inet4Address hostAddress();

  /**
   * Makes the kernel port forwards (nftables DNAT in startd's table) exactly {@code forwards},
   * replacing what was set before.
   */
  void dnat(List<Dnat> forwards);

  /**
   * Makes the host refuse exactly {@code addresses} (turned off by the user), in the same table as
   * the forwards.
   */
  void block(List<dev.hearth.startd.net.Blocked> addresses);

  /**
   * Runs {@code create} where a socket can reach the containers (their bridge's namespace): the TLS
   * proxy makes its upstream sockets through this.
   */
  default <T> T inBridgeNamespace(java.util.concurrent.Callable<T> create)
      throws java.io.IOException {
    try {
      return create.call();
    } catch (java.io.IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new java.io.IOException(e);
    }
  }

  /** A userspace TCP forward from the host to a container; {@code port} 0 picks a free one. */
  Forward forward(int port, InetSocketAddress target);

  interface Forward extends AutoCloseable {
    int port();

    @Override
    void close();
  }
}
