package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.ImageMetadata;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Adds an image to a built package ({@code s9pk edit add-image}) from any build-time source (a root
 * filesystem directory or tarball with its metadata, an OCI layout, a dockerTag, a dockerBuild);
 * the result must be signed again. Call {@link #write} before closing the package it came from: the
 * new package still reads the other files from the old one.
 */
public final class ImageAddition implements AutoCloseable {
  private final Path scratch;
  private final S9pk result;

  /**
   * @param source a directory or tarball whose path may contain {@code {arch}}
   * @param arches architectures to add the image for
   */
  public ImageAddition(
      S9pk pkg,
      String id,
      ImageSource source,
      List<String> arches,
      @Nullable String emulateMissingAs,
      boolean nvidia) {
    dev.hearth.s9pk.manifest.Ids.check("image id", id);
    try {
      scratch = Files.createTempDirectory("hearth-add-image-");
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot make a scratch directory: " + e, e);
    }
    try {
      Manifest m = pkg.manifest();
      ImageConfig old = m.images().get(id);
      TreeSet<String> all = new TreeSet<>(arches);
      if (old != null) {
        all.addAll(old.arch());
      }
      ImageConfig config =
          new ImageConfig(source, List.copyOf(all), emulateMissingAs, nvidia, Map.of());
      Directory root = pkg.contents();
      Path cwd = Path.of("").toAbsolutePath();
      for (String arch : arches) {
        Path sq = scratch.resolve(arch + ".squashfs");
        ImageMetadata meta =
            ImageBuild.build(cwd, id, config, arch, sq, scratch)
                .orElseThrow(() ->
                    new StartException(
                        ErrorKind.PACK, "image " + id + " has no source for " + arch));
        String base = "images/" + arch + "/" + id;
        root = root.withPath(base + ".squashfs", Entry.file(sq));
        root = root.withPath(base + ".json", Entry.file(meta.metadataJson()));
        root = root.withPath(base + ".env", Entry.file(meta.envFile()));
      }
      Map<String, ImageConfig> images = new LinkedHashMap<>(m.images());
      images.put(id, config.withSource(new ImageSource.Packed()));
      result = pkg.withManifest(m.withImages(images)).withContents(root);
    } catch (RuntimeException e) {
      // The caller never gets this object to close, so the scratch directory goes now.
      Squashfs.deleteTree(scratch);
      throw e;
    }
  }

  public S9pk result() {
    return result;
  }

  @Override
  public void close() {
    Squashfs.deleteTree(scratch);
  }
}
