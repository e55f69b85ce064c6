/**
 * Service containers: one unprivileged LXC container per installed service (container-runtime.md
 * §3, §5.1), driven by Debian's {@code lxc-*} tools, with everything measured in containers-lab.md.
 * {@link dev.hearth.startd.container.Containers} is the facade; it and {@link
 * dev.hearth.startd.container.ServiceContainer} are all a caller needs.
 *
 * <p>Owns: its LXC path and mount root (nothing else may live there), the mounts, loop devices,
 * cgroups and veths of its containers, the bridge's addresses, and the port forwards it made.
 * Relies on: root, LXC 5, util-linux {@code mount}/{@code unshare}, iproute2, a kernel with
 * overlayfs, squashfs and idmapped mounts (5.19+ for idmapped overlay layers), and FFM native
 * access for the mount API.
 *
 * <p>Must not: walk a path inside a running container's root on the host (the container owns those
 * directories; see {@code InRoot}), change a namespace on a shared thread ({@code setns} only on
 * its own platform thread, see {@code NetnsSockets}), run {@code lxc-*} inside another network
 * namespace (containers would lose their cgroups, lab §5), or leave a mount, loop device, cgroup or
 * veth behind after {@code close()}.
 */
@NullMarked
package dev.hearth.startd.container;

import org.jspecify.annotations.NullMarked;
