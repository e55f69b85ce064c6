package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Tx;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.BitSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each package's container runs as a host id range of its own (issue 10), so a file or process that
 * escapes one container belongs to ids no other service has. A package's slot is taken when it is
 * first installed and kept in its {@link PackageHost} record as long as its data exists (its files
 * are owned by those ids); a full uninstall frees it.
 *
 * <p>The owner of {@code volumes/<id>/data} says which range the package's files are in: data from
 * before ranges (owned by host root there, files at slot 0) or from another slot is moved to the
 * package's range when it loads, the directory's owner last, so a crash midway is finished by the
 * next load.
 */
final class IdRanges {
  private static final Logger log = LoggerFactory.getLogger(IdRanges.class);

  private IdRanges() {}

  /** The range of {@code id}, taking the lowest free slot if it has none yet. */
  static ContainerIds allocate(Tx tx, PackageId id) {
    Map<String, PackageHost> hosts = tx.get(PrivatePaths.PACKAGES).orElse(Map.of());
    PackageHost mine = hosts.get(id.value());
    if (mine != null) {
      return ContainerIds.slot(mine.idSlot());
    }
    BitSet taken = new BitSet();
    hosts.values().forEach(h -> taken.set(h.idSlot()));
    int slot = taken.nextClearBit(0);
    if (slot >= ContainerIds.SLOTS) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "no id range left for " + id + ": uninstall something first");
    }
    tx.put(PackagePaths.host(id), new PackageHost(slot, null, null, null));
    return ContainerIds.slot(slot);
  }

  /**
   * A package's entry is gone, and its installed archive: its host record keeps the id slot while
   * its data stays (owned by those ids), and goes with the data.
   */
  static void forget(Tx tx, PackageId id, Data data) {
    tx.remove(PackagePaths.entry(id).pointer());
    switch (data) {
      case KEPT ->
          tx.get(PackagePaths.host(id))
              .ifPresent(
                  h -> tx.put(PackagePaths.host(id), h.withArchive(null).withNextArchive(null)));
      case DELETED -> tx.remove(PackagePaths.host(id).pointer());
    }
  }

  /** What becomes of a package's data when it goes. */
  enum Data {
    KEPT,
    DELETED
  }

  /**
   * Makes {@code volumes} (a package's {@code volumes/<id>}) belong to {@code ids}: creates its
   * {@code data} directory owned by container root, or moves files still owned by another range
   * into this one.
   */
  static void adopt(Path volumes, ContainerIds ids) {
    Path data = volumes.resolve("data");
    try {
      if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(data);
      } else {
        long owner = (Integer) Files.getAttribute(data, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        ContainerIds from = owner == 0 ? ContainerIds.FIRST : new ContainerIds(owner);
        if (!from.equals(ids)) {
          log.info(
              "moving the files of {} from ids {}.. to {}..", volumes, from.base(), ids.base());
          shift(data, from, ids);
        }
      }
      // Container root must reach its volumes below (LXC checks as that root); nobody else may
      // even pass (the host's root needs no permission).
      Files.setPosixFilePermissions(volumes, PosixFilePermissions.fromString("rwx--x--x"));
      Files.setAttribute(data, "unix:uid", ids.root(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(data, "unix:gid", ids.root(), LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException | IllegalArgumentException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot give " + volumes + " to ids " + ids.base() + ": " + e, e);
    }
  }

  /** Re-owns every file below {@code root} (not itself) that {@code from} owns, links included. */
  private static void shift(Path root, ContainerIds from, ContainerIds to) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(root)) {
              move(dir);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            move(file);
            return FileVisitResult.CONTINUE;
          }

          private void move(Path p) throws IOException {
            for (String id : new String[] {"unix:uid", "unix:gid"}) {
              long v = (Integer) Files.getAttribute(p, id, LinkOption.NOFOLLOW_LINKS);
              if (from.contains(v)) {
                Files.setAttribute(
                    p, id, (int) (v - from.base() + to.base()), LinkOption.NOFOLLOW_LINKS);
              }
            }
          }
        });
  }
}
