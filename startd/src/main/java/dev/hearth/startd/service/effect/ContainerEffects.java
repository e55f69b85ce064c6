package dev.hearth.startd.service.effect;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.service.DataVersion;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The effects on self's container and files (container-runtime.md §2.7): subcontainers, mounts of a
 * dependency's volume, and the data version beside the volumes.
 */
final class ContainerEffects {
  private final EffectHost host;
  private final CallingService self;
  private final PackageId id;

  ContainerEffects(EffectHost host, CallingService self) {
    this.host = host;
    this.self = self;
    this.id = self.packageId();
  }

  void bind(RpcTree.Builder tree) {
    tree.bind(Effects.SUBCONTAINER_CREATE_FS, (ctx, p) -> createFs(p));
    tree.bind(
        Effects.SUBCONTAINER_DESTROY_FS,
        (ctx, p) -> {
          self.destroySubcontainer(p.guid());
          return null;
        });
    tree.bind(Effects.MOUNT, (ctx, p) -> mount(p));
    tree.bind(
        Effects.SET_DATA_VERSION,
        (ctx, p) -> {
          DataVersion.write(host.dataVersionFile(id), p.version());
          return null;
        });
    tree.bind(
        Effects.GET_DATA_VERSION,
        (ctx, p) -> DataVersion.read(host.dataVersionFile(id)).orElse(null));
  }

  private List<String> createFs(ServiceParams.CreateFs p) {
    if (!self.images().contains(p.imageId())) {
      throw new StartException(ErrorKind.NOT_FOUND, id + " has no image " + p.imageId());
    }
    CallingService.Subcontainer made = self.createSubcontainer(p.imageId(), p.name());
    return List.of(made.path(), made.guid());
  }

  /**
   * Another package's volume, mounted into this one: only a dependency its manifest declares, only
   * read-only (no package can grant more yet), and it must exist. The files show with the
   * dependency's ids moved onto this container's, as the package's {@code idmap} asks.
   */
  private @Nullable Void mount(ServiceParams.Mount p) {
    ContainerPath location;
    try {
      location = ContainerPath.of(p.location());
    } catch (IllegalArgumentException e) {
      throw new StartException(ErrorKind.DESERIALIZATION, "mount: location: " + e.getMessage());
    }
    ServiceParams.MountTarget t = p.target();
    PackageId target = PackageId.of(t.packageId());
    if (!self.manifest().dependencies().containsKey(target.value())) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          id + " may only mount volumes of the dependencies its manifest declares, not " + target);
    }
    if (!t.readOnly()) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          id + " may mount " + target + "'s volume " + t.volumeId() + " only read-only");
    }
    Path source = host.volume(target, t.volumeId());
    if (!Files.isDirectory(source)) {
      throw new StartException(ErrorKind.NOT_FOUND, target + " has no volume " + t.volumeId());
    }
    ContainerIds owner =
        host.read(PackagePaths.host(target))
            .map(h -> ContainerIds.slot(h.idSlot()))
            .orElseThrow(
                () -> new StartException(ErrorKind.NOT_FOUND, target + " is not installed"));
    List<int[]> idmap =
        t.idmap().stream().map(m -> new int[] {m.fromId(), m.toId(), m.range()}).toList();
    String subpath = t.subpath() == null ? "" : t.subpath().replaceFirst("^/+", "");
    self.bindReadOnly(source, subpath, location, owner, idmap);
    return null;
  }
}
