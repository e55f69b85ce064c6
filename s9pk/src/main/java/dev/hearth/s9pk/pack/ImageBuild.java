package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.ImageMetadata;
import dev.hearth.s9pk.manifest.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns one image source into the three files a package holds per architecture (s9pk.md §8): {@code
 * <id>.squashfs}, {@code <id>.json} (ImageMetadata) and {@code <id>.env}.
 *
 * <p>A {@code rootfs} path may contain {@code {arch}}, replaced by each architecture; an
 * architecture whose path does not exist is not built (the package then relies on {@code
 * emulateMissingAs}). A path without {@code {arch}} is used for every architecture. An {@code
 * ociLayout} without an image for an architecture is handled the same way; {@code dockerTag} and
 * {@code dockerBuild} must give every architecture the manifest lists.
 */
final class ImageBuild {
  private ImageBuild() {}

  /** The source file or directory for an architecture, if the source has one. */
  static Optional<Path> rootfsFor(Path projectDir, ImageSource.Rootfs source, String arch) {
    Path p = projectDir.resolve(source.path().replace("{arch}", arch)).normalize();
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Builds the squashfs of image {@code id} for {@code arch} into {@code out}.
   *
   * @return the image's metadata, or empty if the source has nothing for this architecture
   * @throws StartException PACK for a source that cannot be built or holds what images may not
   */
  static Optional<ImageMetadata> build(
      Path projectDir, String id, ImageConfig image, String arch, Path out, Path scratch) {
    String what = "image " + id;
    return switch (image.source()) {
      case ImageSource.Rootfs r -> {
        Optional<Path> src = rootfsFor(projectDir, r, arch);
        if (src.isEmpty()) {
          yield Optional.empty();
        }
        if (Files.isDirectory(src.get())) {
          Squashfs.fromDirectory(src.get(), out, what);
        } else {
          Squashfs.fromTarball(src.get(), out, scratch, what);
        }
        yield Optional.of(r.metadata());
      }
      case ImageSource.OciLayout o -> {
        Path dir = projectDir.resolve(o.dir()).normalize();
        Optional<OciImageLayout.Image> img =
            new OciImageLayout(dir, what + " (OCI layout " + o.dir() + ")").image(o.ref(), arch);
        img.ifPresent(i -> Squashfs.fromLayers(i, out, scratch, what));
        yield img.map(OciImageLayout.Image::metadata);
      }
      case ImageSource.DockerTag t -> {
        OciImageLayout.Image img =
            RegistryPull.pull(OciCache.forUser(), t.tag(), arch, what).orElseThrow();
        Squashfs.fromLayers(img, out, scratch, what);
        yield Optional.of(img.metadata());
      }
      case ImageSource.DockerBuild d -> {
        OciImageLayout.Image img = ContainerBuild.build(projectDir, d, arch, scratch, what);
        Squashfs.fromLayers(img, out, scratch, what);
        yield Optional.of(img.metadata());
      }
      case ImageSource.Packed p ->
          throw new StartException(
              ErrorKind.PACK,
              "image " + id + " says \"packed\", but a project has to say where it comes from");
    };
  }
}
