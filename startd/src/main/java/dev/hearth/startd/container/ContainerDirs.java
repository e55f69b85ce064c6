package dev.hearth.startd.container;

import java.nio.file.Path;

/**
 * Where one container's things are on the host. {@code state} ({@code <lxcPath>/<name>}) holds
 * plain directories: LXC's config and log, the rpc and logs directories bound into the container,
 * and every overlay's upper and work directories (on the host's file system, never on an overlay:
 * lab §8). {@code mounts} ({@code <mountRoot>/<name>}) holds every mount point: the root file
 * system and the host-side mounts of images and assets.
 */
record ContainerDirs(Path state, Path mounts) {
  static ContainerDirs of(ContainerSettings s, String name) {
    return new ContainerDirs(s.lxcPath().resolve(name), s.mountRoot().resolve(name));
  }

  Path config() {
    return state.resolve("config");
  }

  /** The seccomp profile LXC loads for the container ({@link LxcConfig#SECCOMP}). */
  Path seccomp() {
    return state.resolve("seccomp");
  }

  Path lxcLog() {
    return state.resolve("lxc.log");
  }

  /** Where {@code lxc-start} writes the pid of the container's monitor. */
  Path monitorPid() {
    return state.resolve("monitor.pid");
  }

  Path rpc() {
    return state.resolve("rpc");
  }

  Path logs() {
    return state.resolve("logs");
  }

  /** The files we loop-mounted for this container, one per line: crash clean-up reads it. */
  Path loopFiles() {
    return state.resolve("loop-files");
  }

  /** Upper and work directories of overlay {@code id} ({@code rootfs}, {@code asset-1}, …). */
  Path upper(String id) {
    return state.resolve("layers").resolve(id).resolve("upper");
  }

  Path work(String id) {
    return state.resolve("layers").resolve(id).resolve("work");
  }

  Path rootfs() {
    return mounts.resolve("rootfs");
  }

  /** Host mount point of pre-start mount {@code id} ({@code image-1}, {@code raw-1}, …). */
  Path mount(String id) {
    return mounts.resolve(id);
  }
}
