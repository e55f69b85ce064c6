package dev.hearth.startd.container;

import java.nio.file.Path;

/**
 * What every container of one {@link Containers} shares: the settings and the machinery. All of it
 * is thread-safe.
 *
 * @param runtimeImage the host mount of the runtime image, not id-mapped: each container takes an
 *     id-mapped copy of it as the lower layer of its root file system
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
    Path runtimeImage) {}
