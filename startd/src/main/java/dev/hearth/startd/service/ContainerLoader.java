package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.service.model.PackageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The real {@link Loader}: the package's id range, its volumes owned by that range, an LXC
 * container ({@link Sandboxes}) with the package's files mounted, its effects served, its runtime
 * connected.
 */
final class ContainerLoader implements Loader {
  private final Database db;
  private final DataDirs dirs;
  private final String arch;
  private final Sandboxes sandboxes;
  private final ServiceLogs logs;
  private final ObjectMapper mapper;
  private final Function<LoadedService, RpcTree> effects;

  ContainerLoader(
      Database db,
      DataDirs dirs,
      String arch,
      Sandboxes sandboxes,
      ServiceLogs logs,
      ObjectMapper mapper,
      Function<LoadedService, RpcTree> effects) {
    this.db = db;
    this.dirs = dirs;
    this.arch = arch;
    this.sandboxes = sandboxes;
    this.logs = logs;
    this.mapper = mapper;
    this.effects = effects;
  }

  @Override
  public void checkCanRun() {
    if (sandboxes instanceof UnavailableSandboxes u) {
      throw u.failure();
    }
  }

  @Override
  public void checkContents(PackageFile pkg) {
    sandboxes.checkContents(pkg);
  }

  @Override
  public ServiceInstance load(PackageId id, Path archive) throws InterruptedException {
    PackageFile pkg = PackageFile.read(archive, arch);
    ContainerIds ids = db.transact(tx -> IdRanges.allocate(tx, id)).value();
    IdRanges.adopt(dirs.packageVolumes(id), ids);
    List<Sandboxes.Volume> volumes = new ArrayList<>();
    for (String v : pkg.manifest().volumes()) {
      volumes.add(new Sandboxes.Volume(v, ensureVolume(id, v, ids)));
    }
    return LoadedService.load(
        sandboxes,
        new Sandboxes.Spec(id.value(), pkg, volumes, ids),
        logs.store(id),
        logs.changes(),
        mapper,
        effects);
  }

  private Path ensureVolume(PackageId id, String volumeId, ContainerIds ids) {
    Path dir = dirs.volume(id, volumeId);
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
        // Owned by the container's root, so the service can write its own data.
        Files.setAttribute(dir, "unix:uid", ids.root());
        Files.setAttribute(dir, "unix:gid", ids.root());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot create volume " + dir, e);
    }
    return dir;
  }
}
