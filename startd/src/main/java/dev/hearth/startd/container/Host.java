package dev.hearth.startd.container;

import java.nio.file.Path;

/**
 * What every container of one {@link Containers} shares: the settings and the machinery. All of it
 * is thread-safe.
 *
 * @param runtimeLower the host mount of the runtime image, id-mapped, the lower layer of every
 *     container's root file system
 */
record Host(
    ContainerSettings settings,
    Syscalls sys,
    Mounts mounts,
    InRoot inRoot,
    UserNamespaces userns,
    Cgroups cgroups,
    Lxc lxc,
    ContainerNetwork net,
    Path runtimeLower) {}
