package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Contents;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.archive.FileData;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An installed package file, read for what a container needs: where inside the file each squashfs
 * lies (they are mounted in place, never copied out), and the small files beside them. The file was
 * fully verified when it was installed and is never written again.
 */
record PackageFile(
    Path file,
    Manifest manifest,
    Range javascript,
    Optional<Range> assets,
    Map<String, Image> images,
    String icon,
    String developerKey) {

  /** Bytes {@code [offset, offset + length)} of the package file. */
  record Range(long offset, long length) {}

  /** An image for this machine: its squashfs, its environment and its config. */
  record Image(Range squashfs, byte[] env, byte[] json) {}

  static PackageFile read(Path file, String arch) {
    try (S9pk pkg = S9pk.open(file)) {
      Manifest manifest = pkg.manifest();
      Directory root = pkg.contents();
      Range js =
          range(root, "javascript.squashfs").orElseThrow(() -> missing("javascript.squashfs"));
      Map<String, Image> images = new LinkedHashMap<>();
      for (Map.Entry<String, ImageConfig> e : manifest.images().entrySet()) {
        String id = e.getKey();
        String imageArch = imageArch(e.getValue(), arch);
        String base = "images/" + imageArch + "/" + id;
        Range squashfs =
            range(root, base + ".squashfs").orElseThrow(() -> missing(base + ".squashfs"));
        byte[] env = small(root, base + ".env").orElse(new byte[0]);
        byte[] json = small(root, base + ".json").orElse("{}".getBytes());
        images.put(id, new Image(squashfs, env, json));
      }
      String icon =
          pkg.icon()
              .map(i -> S9pk.imageDataUrl(i.getKey(), i.getValue().readAll(i.getKey(), 1 << 20)))
              .orElse("");
      // patchdb.md §7.1: the signer, as a PEM public key.
      String developerKey = pkg.archive().orElseThrow().signer().pem();
      return new PackageFile(
          file,
          manifest,
          js,
          range(root, "assets.squashfs"),
          Map.copyOf(images),
          icon,
          developerKey);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file, e);
    }
  }

  /** The image's own arch when it has one for this machine, else the one it emulates. */
  private static String imageArch(ImageConfig config, String arch) {
    if (config.arch().contains(arch) || config.emulateMissingAs() == null) {
      return arch;
    }
    return config.emulateMissingAs();
  }

  private static Optional<Range> range(Directory root, String path) {
    return root.find(path)
        .flatMap(entry ->
            entry.contents() instanceof Contents.File(FileData.InArchive in)
                ? Optional.of(new Range(in.position(), in.length()))
                : Optional.empty());
  }

  private static Optional<byte[]> small(Directory root, String path) {
    return root.find(path).filter(Entry::isFile).map(e -> e.readAll(path, 1 << 20));
  }

  private static StartException missing(String path) {
    return new StartException(
        ErrorKind.PARSE_S9PK, "the package has no " + path + " for this machine");
  }
}
