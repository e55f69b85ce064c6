package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.service.model.PackageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where service data lives under the data directory (container-runtime.md §3.1, lifecycle.md §2.1):
 * installed archives, volumes with the data-version file beside them, logs.
 */
record DataDirs(Path root) {
  /** A package id (or a volume id, which follows the same rule), checked. */
  static String checkId(String id) {
    return PackageId.of(id).value();
  }

  Path installed() {
    return root.resolve("package-data/archive/installed");
  }

  Path downloading() {
    return root.resolve("package-data/archive/downloading");
  }

  /** {@code volumes/<id>}: the volumes and the data-version file; removed on uninstall. */
  Path packageVolumes(PackageId id) {
    return root.resolve("package-data/volumes").resolve(id.value());
  }

  /**
   * Present while a first install of {@code id} runs: its data is new, so undoing the install
   * deletes it. Without it (a soft uninstall left data), undoing keeps the data.
   */
  Path freshInstallMarker(PackageId id) {
    Path v = packageVolumes(id);
    return v.resolveSibling(v.getFileName() + ".fresh");
  }

  Path volume(PackageId id, String volumeId) {
    return packageVolumes(id).resolve("data").resolve(checkId(volumeId));
  }

  Path dataVersionFile(PackageId id) {
    return packageVolumes(id).resolve("data/.version");
  }

  Path logs(PackageId id) {
    return root.resolve("package-data/logs").resolve(id.value());
  }

  void createDirectories() {
    try {
      Files.createDirectories(installed());
      Files.createDirectories(downloading());
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create " + installed(), e);
    }
  }
}
