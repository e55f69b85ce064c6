package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.json.Json;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;

/**
 * What one package may keep in the database through its effects (issue 10: seven 8 MiB
 * notifications once left a daemon that ran out of heap at every start): the parts of its entry it
 * writes (actions, tasks, hosts, health, dependencies, plugin) and the notifications it posted, at
 * most {@link #MAX_BYTES} together, as stored. Its manifest and icon are not counted: they come
 * from the signed package, whose size the package format bounds. Every effect write checks the
 * quota in its own transaction, so a write that would pass it is refused whole.
 */
final class StorageQuota {
  /** A real package keeps a few KiB to a few tens of KiB. */
  static final long MAX_BYTES = 1 << 20;

  private StorageQuota() {}

  /**
   * @throws StartException ({@link ErrorKind#INVALID_REQUEST}) if {@code id} keeps too much
   */
  static void check(Tx tx, PackageId id) {
    long total = Notifications.bytesOf(tx, id.value());
    for (PackagePaths.Part part : PackagePaths.Part.values()) {
      Json value = tx.get(PackagePaths.rawPart(id, part).pointer()).orElse(null);
      if (value != null) {
        total += tx.codec().bytes(value).length;
      }
    }
    if (total > MAX_BYTES) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          id
              + " would keep "
              + total
              + " bytes in the database; a package may keep at most "
              + MAX_BYTES
              + " (its actions, tasks, hosts, health, dependencies and notifications)");
    }
  }
}
