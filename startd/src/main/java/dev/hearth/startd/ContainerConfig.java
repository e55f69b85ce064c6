package dev.hearth.startd;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How service containers are made on this machine.
 *
 * @param runtimeImage the runtime root filesystem (squashfs with Node, our runtime and {@code
 *     start-container}), built by {@code container-runtime/}
 * @param bridge the bridge containers attach to (created if missing)
 * @param subnet its IPv4 subnet in CIDR form; the host is {@code .1}
 * @param netns null in production; a network namespace holding the bridge, for tests that must keep
 *     container traffic off the machine's network
 * @param forwardBind the address port forwards listen on ({@code 0.0.0.0}: every LAN address)
 */
public record ContainerConfig(
    Path runtimeImage, String bridge, String subnet, @Nullable String netns, String forwardBind) {
  public ContainerConfig {
    Objects.requireNonNull(runtimeImage, "runtimeImage");
    Objects.requireNonNull(bridge, "bridge");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(forwardBind, "forwardBind");
  }
}
