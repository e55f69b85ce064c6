package dev.hearth.s9pk;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.archive.Contents;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.Manifest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a package must and may contain (s9pk.md §8, upstream's {@code validate_for}), and turning
 * everything else into MISSING entries, which keeps every hash and so the signature.
 */
final class PackageRules {
  private static final Logger log = LoggerFactory.getLogger(PackageRules.class);

  /** Extensions that upstream's {@code util/mime.rs} maps to {@code image/*}. */
  static final Set<String> IMAGE_EXTENSIONS =
      Set.of(
          "apng", "avif", "flif", "gif", "jpg", "jpeg", "jfif", "pjpeg", "pjp", "jxl", "png", "svg",
          "webp", "mng", "x-mng");

  private PackageRules() {}

  static boolean isIcon(String name) {
    return name.startsWith("icon.") && IMAGE_EXTENSIONS.contains(name.substring(5));
  }

  /**
   * Checks the required entries for {@code arch} (or every architecture the manifest names) and
   * returns the tree with everything else MISSING.
   *
   * @throws StartException VALIDATE_S9PK naming the first rule broken
   */
  static Directory validateAndFilter(Manifest manifest, Directory root, Optional<String> arch) {
    Set<String> keep = new HashSet<>();
    requireFile(root, "manifest.json", keep);
    List<String> icons = root.entries().keySet().stream().filter(PackageRules::isIcon).toList();
    if (icons.size() != 1) {
      throw invalid(
          icons.isEmpty()
              ? "the package has no icon (icon.png, icon.svg, … at its root)"
              : "the package has "
                  + icons.size()
                  + " icons "
                  + icons
                  + "; it must have exactly one");
    }
    requireFile(root, icons.getFirst(), keep);
    requireFile(root, "LICENSE.md", keep);
    if (isFile(root, "instructions.md")) {
      keep.add("instructions.md");
    } else {
      log.warn("package {} has no instructions.md; new packages must have one", manifest.id());
    }
    requireFile(root, "javascript.squashfs", keep);
    if (isFile(root, "assets.squashfs")) {
      keep.add("assets.squashfs");
    } else if (root.get("assets").map(Entry::isDirectory).orElse(false)) {
      keep.add("assets"); // the legacy assets directory, kept whole
    } else {
      log.debug("package {} has no assets.squashfs", manifest.id());
    }
    for (String dep : manifest.dependencies().keySet()) {
      String dir = "dependencies/" + dep + "/";
      if (isFile(root, dir + "metadata.json")) {
        keep.add(dir + "metadata.json");
      }
      root.find("dependencies/" + dep)
          .flatMap(Entry::directory)
          .ifPresent(d ->
              d.entries().keySet().stream()
                  .filter(PackageRules::isIcon)
                  .filter(n -> isFile(d, n))
                  .forEach(n -> keep.add(dir + n)));
    }
    manifest.images().forEach((id, image) -> requireImage(manifest, root, id, image, arch, keep));
    return filter(root, "", keep, ancestors(keep));
  }

  private static void requireImage(
      Manifest manifest,
      Directory root,
      String id,
      ImageConfig image,
      Optional<String> arch,
      Set<String> keep) {
    String emulate = image.emulateMissingAs();
    List<String> arches;
    if (arch.isPresent()) {
      arches = List.of(arch.get());
    } else if (manifest.hardwareRequirements().arch() != null) {
      arches = manifest.hardwareRequirements().arch();
    } else if (emulate != null) {
      if (!image.arch().contains(emulate)) {
        throw invalid(
            "image "
                + id
                + " emulates missing architectures as "
                + emulate
                + ", which is not one of its architectures "
                + image.arch());
      }
      arches = image.arch();
    } else {
      throw invalid(
          "image "
              + id
              + " needs hardwareRequirements.arch or emulateMissingAs to say which"
              + " architectures the package must contain");
    }
    for (String a : arches) {
      String base = "images/" + a + "/" + id;
      String from = a;
      if (!isFile(root, base + ".squashfs")) {
        if (emulate == null) {
          throw invalid("image " + id + " has no " + base + ".squashfs and no emulateMissingAs");
        }
        from = emulate;
      }
      String chosen = "images/" + from + "/" + id;
      for (String ext : List.of(".squashfs", ".json", ".env")) {
        requireFile(root, chosen + ext, keep);
      }
    }
  }

  /** Every directory that holds a kept path, so filtering checks one set, not every kept path. */
  private static Set<String> ancestors(Set<String> keep) {
    Set<String> out = new HashSet<>();
    for (String k : keep) {
      for (int slash = k.indexOf('/'); slash >= 0; slash = k.indexOf('/', slash + 1)) {
        out.add(k.substring(0, slash));
      }
    }
    return out;
  }

  private static Directory filter(
      Directory dir, String prefix, Set<String> keep, Set<String> holders) {
    Map<String, Entry> replaced = new HashMap<>();
    dir.entries()
        .forEach((name, entry) -> {
          String path = prefix + name;
          if (keep.contains(path) || entry.isMissing()) {
            return;
          }
          if (holders.contains(path) && entry.contents() instanceof Contents.Dir(Directory child)) {
            replaced.put(name, withContents(entry, filter(child, path + "/", keep, holders)));
          } else {
            replaced.put(name, entry.toMissing());
          }
        });
    return dir.withEntries(replaced);
  }

  private static Entry withContents(Entry entry, Directory filtered) {
    return new Entry(entry.hash(), entry.size(), new Contents.Dir(filtered));
  }

  private static void requireFile(Directory root, String path, Set<String> keep) {
    if (!isFile(root, path)) {
      throw invalid("the package has no " + path);
    }
    keep.add(path);
  }

  private static boolean isFile(Directory root, String path) {
    return root.find(path).map(Entry::isFile).orElse(false);
  }

  private static StartException invalid(String message) {
    return new StartException(ErrorKind.VALIDATE_S9PK, message);
  }
}
