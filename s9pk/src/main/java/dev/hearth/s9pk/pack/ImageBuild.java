package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.ImageSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns one image source into the three files a package holds per architecture (s9pk.md §8): {@code
 * <id>.squashfs}, {@code <id>.json} (ImageMetadata) and {@code <id>.env}.
 *
 * <p>A {@code rootfs} path may contain {@code {arch}}, replaced by each architecture; an
 * architecture whose path does not exist is not built (the package then relies on {@code
 * emulateMissingAs}). A path without {@code {arch}} is used for every architecture.
 */
final class ImageBuild {
  /** Upstream's ImageMetadata defaults: no Docker config to take them from. */
  static final byte[] DEFAULT_METADATA =
      "{\"workdir\":\"/\",\"user\":\"root\",\"entrypoint\":null,\"cmd\":null}"
          .getBytes(StandardCharsets.UTF_8);

  /** Docker's default PATH, which images built by Docker carry in their environment. */
  static final byte[] DEFAULT_ENV =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
          .getBytes(StandardCharsets.UTF_8);

  private ImageBuild() {}

  /** The source file or directory for an architecture, if the source has one. */
  static Optional<Path> rootfsFor(Path projectDir, ImageSource.Rootfs source, String arch) {
    Path p = projectDir.resolve(source.path().replace("{arch}", arch)).normalize();
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Builds the squashfs of image {@code id} for {@code arch} into {@code out}.
   *
   * @return false if the source has nothing for this architecture
   * @throws StartException PACK for Docker sources, which need a Docker engine, and for a root
   *     filesystem holding a device node
   */
  static boolean build(
      Path projectDir, String id, ImageConfig image, String arch, Path out, Path scratch) {
    return switch (image.source()) {
      case ImageSource.Rootfs r -> {
        Optional<Path> src = rootfsFor(projectDir, r, arch);
        if (src.isEmpty()) {
          yield false;
        }
        if (Files.isDirectory(src.get())) {
          Squashfs.fromDirectory(src.get(), out, "image " + id);
        } else {
          Squashfs.fromTarball(src.get(), out, scratch, "image " + id);
        }
        yield true;
      }
      case ImageSource.DockerBuild d -> throw dockerUnavailable(id, "dockerBuild");
      case ImageSource.DockerTag t -> throw dockerUnavailable(id, "dockerTag");
      case ImageSource.Packed p ->
          throw new StartException(
              ErrorKind.PACK,
              "image " + id + " says \"packed\", but a project has to say where it comes from");
    };
  }

  static StartException dockerUnavailable(String id, String kind) {
    return new StartException(
        ErrorKind.PACK,
        "image "
            + id
            + " uses the "
            + kind
            + " source, which needs Docker, and Docker is not"
            + " available on this platform; give the image's root filesystem instead, as a"
            + " directory or a tarball: source: { rootfs: 'path/to/rootfs-{arch}.tar' } (see docs/s9pk.md)");
  }
}
