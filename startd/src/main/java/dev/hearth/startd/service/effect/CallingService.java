package dev.hearth.startd.service.effect;

import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.runtime.Callbacks;
import dev.hearth.startd.service.model.PackageId;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The package whose effects socket a call came in on, and its container: "self" in
 * container-runtime.md §2.7. Fixed by the socket, never by a param.
 */
public interface CallingService {
  PackageId packageId();

  /** Its manifest, which its signer vouched for. */
  Manifest manifest();

  /** The image ids its package carries for this machine. */
  Set<String> images();

  /** Its container's address on the bridge. */
  Inet4Address ip();

  /** The callbacks its runtime registered. */
  Callbacks callbacks();

  /**
   * Mounts a writable view of {@code imageId} as a new subcontainer.
   *
   * @return its path inside the container, and its guid
   */
  Subcontainer createSubcontainer(String imageId, @Nullable String name);

  record Subcontainer(String path, String guid) {}

  void destroySubcontainer(String guid);

  /**
   * Binds {@code subpath} of a host directory owned by the container of {@code owner} read-only at
   * {@code at} inside this container, the owner's ids moved as {@code idmap} says ({@code {fromId,
   * toId, range}} each).
   */
  void bindReadOnly(
      Path dir, String subpath, ContainerPath at, ContainerIds owner, List<int[]> idmap);
}
