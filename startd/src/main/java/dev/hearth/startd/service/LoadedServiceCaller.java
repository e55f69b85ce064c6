package dev.hearth.startd.service;

import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.runtime.Callbacks;
import dev.hearth.startd.service.effect.CallingService;
import dev.hearth.startd.service.model.PackageId;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The calling package of an effect, as its loaded container: self for the effect handlers. */
final class LoadedServiceCaller implements CallingService {
  private final LoadedService loaded;

  LoadedServiceCaller(LoadedService loaded) {
    this.loaded = loaded;
  }

  @Override
  public PackageId packageId() {
    return loaded.id();
  }

  @Override
  public Manifest manifest() {
    return loaded.pkg.manifest();
  }

  @Override
  public Set<String> images() {
    return loaded.pkg.images().keySet();
  }

  @Override
  public Inet4Address ip() {
    return loaded.sandbox.ip();
  }

  @Override
  public Callbacks callbacks() {
    return loaded.callbacks;
  }

  @Override
  public Subcontainer createSubcontainer(String imageId, @Nullable String name) {
    String guid = LoadedService.guid();
    String path = loaded.sandbox.createSubcontainer(imageId, guid, loaded.sandbox.name());
    loaded.subcontainers.put(guid, new LoadedService.Subcontainer(guid, imageId, name));
    return new Subcontainer(path, guid);
  }

  @Override
  public void destroySubcontainer(String guid) {
    loaded.sandbox.destroySubcontainer(guid);
    loaded.subcontainers.remove(guid);
  }

  @Override
  public void bindReadOnly(
      Path dir, String subpath, ContainerPath at, ContainerIds owner, List<int[]> idmap) {
    loaded.sandbox.bindInto(dir, subpath, at, true, owner, idmap);
  }
}
