package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where service data lives under the data directory (container-runtime.md §3.1, lifecycle.md §2.1):
 * installed archives, volumes with the data-version file beside them, logs.
 */
record DataDirs(Path root) {
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  static String checkId(String id) {
    if (id.length() > 64 || !ID.matcher(id).matches()) {
      throw new StartException(ErrorKind.INVALID_ID, "not a package id: \"" + id + "\"");
    }
    return id;
  }

  Path installed() {
    return root.resolve("package-data/archive/installed");
  }

  Path downloading() {
    return root.resolve("package-data/archive/downloading");
  }

  /** {@code volumes/<id>}: the volumes and the data-version file; removed on uninstall. */
  Path packageVolumes(String id) {
    return root.resolve("package-data/volumes").resolve(checkId(id));
  }

  /**
   * Present while a first install of {@code id} runs: its data is new, so undoing the install
   * deletes it. Without it (a soft uninstall left data), undoing keeps the data.
   */
  Path freshInstallMarker(String id) {
    Path v = packageVolumes(id);
    return v.resolveSibling(v.getFileName() + ".fresh");
  }

  Path volume(String id, String volumeId) {
    return packageVolumes(id).resolve("data").resolve(checkId(volumeId));
  }

  Path dataVersionFile(String id) {
    return packageVolumes(id).resolve("data/.version");
  }

  Path logs(String id) {
    return root.resolve("package-data/logs").resolve(checkId(id));
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
