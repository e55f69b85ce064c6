package dev.hearth.startd.container;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What to create: a container named {@code name} (also its LXC name, so unique on the machine),
 * whose processes see {@code hostname}, with {@code mounts} in place before its init starts.
 *
 * @param name {@code [a-z0-9-]}, at most 40 characters, not starting with {@code -}
 * @param hostname an RFC 1123 host name
 * @param mounts at distinct paths, none inside another, none inside the paths this package owns
 *     ({@code /media/startos/rpc}, {@code /media/startos/logs}, {@code
 *     /media/startos/subcontainers})
 * @param limits null for {@link ContainerSettings#defaultLimits()}
 * @param ids the host ids its ids stand for: a range no other running container has
 */
public record ContainerSpec(
    String name,
    String hostname,
    List<ContainerMount> mounts,
    @Nullable Limits limits,
    ContainerIds ids) {
  static final int MAX_NAME = 40;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  /** Paths whose mounts {@link Containers#create} makes itself. */
  static final List<ContainerPath> RESERVED =
      List.of(Layout.RPC, Layout.LOGS, Layout.SUBCONTAINERS);

  public ContainerSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a container name must be 1.."
              + MAX_NAME
              + " of [a-z0-9-], not starting with '-': \""
              + name
              + "\"");
    }
    checkHostname(hostname);
    mounts = List.copyOf(mounts);
    for (int i = 0; i < mounts.size(); i++) {
      ContainerPath at = mounts.get(i).at();
      for (ContainerPath reserved : RESERVED) {
        if (reserved.contains(at) || at.contains(reserved)) {
          throw new IllegalArgumentException(
              "container " + name + ": a mount at " + at + " would overlap " + reserved);
        }
      }
      for (int j = 0; j < i; j++) {
        ContainerPath other = mounts.get(j).at();
        if (other.contains(at) || at.contains(other)) {
          throw new IllegalArgumentException(
              "container " + name + ": mounts at " + other + " and " + at + " overlap");
        }
      }
    }
  }

  public ContainerSpec(String name, String hostname, List<ContainerMount> mounts) {
    this(name, hostname, mounts, null, ContainerIds.FIRST);
  }

  static void checkHostname(String hostname) {
    boolean ok = !hostname.isEmpty() && hostname.length() <= 253;
    for (String label : hostname.split("\\.", -1)) {
      ok &= HOST_LABEL.matcher(label).matches();
    }
    if (!ok) {
      throw new IllegalArgumentException("not an RFC 1123 host name: \"" + hostname + "\"");
    }
  }
}
