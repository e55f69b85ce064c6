package dev.hearth.startd.service;

import dev.hearth.startd.service.model.PackageId;
import java.nio.file.Path;

/** Makes a service's container from its installed archive and connects its runtime. */
interface Loader {
  /**
   * Loads {@code archive} as package {@code id}; the caller sends {@code init}.
   *
   * @throws dev.hearth.error.StartException if the container or its runtime cannot come up
   */
  ServiceInstance load(PackageId id, Path archive) throws InterruptedException;

  /** Refuses early, before an upload, when no container can be made here. */
  void checkCanRun();

  /**
   * Looks inside every squashfs a container of the package would mount and refuses what a package
   * may not carry (device nodes; issue 10).
   *
   * @throws dev.hearth.error.StartException ({@code VALIDATE_S9PK}) naming the image and the nodes
   */
  void checkContents(PackageFile pkg);
}
