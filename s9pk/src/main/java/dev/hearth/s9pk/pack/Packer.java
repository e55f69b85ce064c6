package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.DepInfo;
import dev.hearth.s9pk.manifest.HardwareRequirements;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.ImageMetadata;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs a project into a signed {@code .s9pk} (upstream's {@code s9pk pack}): reads the manifest
 * from the built JavaScript, squashes the bundle, assets and images, writes dependency metadata,
 * fills in {@code gitHash}, validates the result (s9pk.md §8) and signs it. Blocks until done;
 * scratch files live in a temporary directory that is removed afterwards.
 */
public final class Packer {
  private static final Logger log = LoggerFactory.getLogger(Packer.class);

  private Packer() {}

  /**
   * @return the package file written
   * @throws StartException PACK (inputs, tools), VALIDATE_S9PK (result), FILESYSTEM
   */
  public static Path pack(PackRequest req, DeveloperKey key) {
    Path dir = req.projectDir();
    Manifest manifest = ManifestJson.parse(ProjectManifest.read(dir, req.javascript()));
    manifest = manifest.withGitHash(GitHash.of(dir).orElse(null));
    Path out = req.output().map(req::resolve).orElse(dir.resolve(manifest.id() + ".s9pk"));
    Path scratch;
    try {
      scratch = Files.createTempDirectory("hearth-pack-");
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot make a scratch directory: " + e, e);
    }
    try (S9pk built = build(req, manifest, scratch)) {
      S9pk valid = built.validateAndFilter(req.arch());
      valid.writeSigned(out, key);
      log.info("packed {} {} into {}", manifest.id(), manifest.version(), out);
      return out;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "packing failed: " + e, e);
    } finally {
      Squashfs.deleteTree(scratch);
    }
  }

  private static S9pk build(PackRequest req, Manifest manifest, Path scratch) {
    Path dir = req.projectDir();
    Directory root = Directory.empty();
    Path icon = req.icon().map(req::resolve).orElseGet(() -> Ingredients.findIcon(dir));
    String iconName = "icon." + extension(icon);
    root = root.with(iconName, Entry.file(requireFile(icon, "icon")));
    Path license = req.license().map(req::resolve).orElseGet(() -> Ingredients.findLicense(dir));
    root = root.with("LICENSE.md", Entry.file(requireFile(license, "license")));
    Path instructions = req.resolve(req.instructions());
    if (Files.isRegularFile(instructions)) {
      root = root.with("instructions.md", Entry.file(instructions));
    } else {
      log.warn("no {}: new packages should have instructions", instructions);
    }
    Path js = req.resolve(req.javascript());
    Path jsSquash = scratch.resolve("javascript.squashfs");
    Squashfs.fromDirectory(js, jsSquash, "the javascript bundle");
    root = root.with("javascript.squashfs", Entry.file(jsSquash));
    if (req.assetsMode() == PackRequest.Assets.INCLUDE) {
      Path assets = req.assets().map(req::resolve).orElse(dir.resolve("assets"));
      if (Files.isDirectory(assets)) {
        Path assetsSquash = scratch.resolve("assets.squashfs");
        Squashfs.fromDirectory(assets, assetsSquash, "the assets directory");
        root = root.with("assets.squashfs", Entry.file(assetsSquash));
      } else if (req.assets().isPresent()) {
        throw new StartException(
            ErrorKind.PACK, "the assets directory " + assets + " does not exist");
      }
    }
    Map<String, DepInfo> deps = new LinkedHashMap<>();
    for (Map.Entry<String, DepInfo> e : manifest.dependencies().entrySet()) {
      root = DependencyMetadata.add(root, dir, e.getKey(), e.getValue());
      deps.put(e.getKey(), e.getValue().withoutBuildMetadata());
    }
    Map<String, ImageConfig> images = new LinkedHashMap<>();
    HardwareRequirements hw = manifest.hardwareRequirements();
    for (Map.Entry<String, ImageConfig> e : manifest.images().entrySet()) {
      String id = e.getKey();
      ImageConfig image = e.getValue();
      List<String> built = new ArrayList<>();
      for (String arch : archesToBuild(req.arch(), image)) {
        Path sq = scratch.resolve(arch + "-" + id + ".squashfs");
        Optional<ImageMetadata> meta = ImageBuild.build(dir, id, image, arch, sq, scratch);
        if (meta.isEmpty()) {
          log.info("image {} has no source for {}; it will rely on emulation", id, arch);
          continue;
        }
        String base = "images/" + arch + "/" + id;
        root = root.withPath(base + ".squashfs", Entry.file(sq));
        root = root.withPath(base + ".json", Entry.file(meta.get().metadataJson()));
        root = root.withPath(base + ".env", Entry.file(meta.get().envFile()));
        built.add(arch);
      }
      if (built.isEmpty()) {
        throw new StartException(
            ErrorKind.PACK,
            "image " + id + " has no source for any of the architectures " + image.arch());
      }
      ImageConfig packed = image.withSource(new ImageSource.Packed());
      images.put(id, req.arch().isPresent() ? packed.withArch(built) : packed);
    }
    if (req.arch().isPresent() && hw.arch() != null) {
      String arch = req.arch().get();
      if (!hw.arch().contains(arch)) {
        throw new StartException(
            ErrorKind.PACK, "the package supports only " + hw.arch() + ", not " + arch);
      }
      hw = hw.withArch(List.of(arch));
    }
    Manifest packed =
        manifest.withImages(images).withDependencies(deps).withHardwareRequirements(hw);
    return S9pk.of(packed, root);
  }

  /** With {@code --arch}: that one if the image has it, else its emulation architecture. */
  private static List<String> archesToBuild(Optional<String> only, ImageConfig image) {
    if (only.isEmpty()) {
      return image.arch();
    }
    String arch = only.get();
    if (image.arch().contains(arch)) {
      return List.of(arch);
    }
    if (image.emulateMissingAs() != null) {
      return List.of(image.emulateMissingAs());
    }
    return List.of();
  }

  static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      throw new StartException(
          ErrorKind.PACK, "cannot tell the image type of " + file + " without an extension");
    }
    return name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }

  static Path requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new StartException(ErrorKind.PACK, "the " + what + " file " + p + " does not exist");
    }
    return p;
  }
}
