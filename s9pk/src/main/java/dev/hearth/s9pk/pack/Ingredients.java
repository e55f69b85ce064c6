package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ImageConfig;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a pack reads (upstream's {@code s9pk list-ingredients}), which the SDK's {@code
 * s9pk.mk} makes the package depend on. {@code javascript/index.js} is always first, so that make
 * builds the bundle; image sources are listed once the bundle exists and the manifest can be read.
 */
public final class Ingredients {
  private Ingredients() {}

  /** Paths relative to the project directory where they are inside it. */
  public static List<Path> list(PackRequest req) {
    Path dir = req.projectDir();
    Set<Path> out = new LinkedHashSet<>();
    out.add(req.javascript().resolve("index.js"));
    req.icon().or(() -> optionalIcon(dir).map(dir::relativize)).ifPresent(out::add);
    req.license().or(() -> optionalLicense(dir).map(dir::relativize)).ifPresent(out::add);
    out.add(req.instructions());
    if (req.assetsMode() == PackRequest.Assets.INCLUDE) {
      Path assets = req.assets().orElse(Path.of("assets"));
      if (req.assets().isPresent() || Files.isDirectory(req.resolve(assets))) {
        out.add(assets);
      }
    }
    Optional<JsonNode> json = ProjectManifest.readIfBuilt(dir, req.javascript());
    if (json.isPresent()) {
      Manifest manifest = ManifestJson.parse(json.get());
      for (ImageConfig image : manifest.images().values()) {
        switch (image.source()) {
          case ImageSource.Rootfs r -> {
            // Listed whether or not it exists yet: the project's Makefile may build it.
            for (String arch : image.arch()) {
              out.add(relative(dir, dir.resolve(r.path().replace("{arch}", arch)).normalize()));
            }
          }
          case ImageSource.DockerBuild d -> out.add(Path.of(d.dockerfile()).normalize());
          case ImageSource.OciLayout o ->
              out.add(Path.of(o.dir()).resolve("index.json").normalize());
          case ImageSource.DockerTag t -> {}
          case ImageSource.Packed p -> {}
        }
      }
      manifest
          .dependencies()
          .values()
          .forEach(dep -> {
            for (Map.Entry<String, JsonNode> e : dep.extra().entrySet()) {
              JsonNode ref =
                  e.getKey().equals("metadata") ? e.getValue().path("icon") : e.getValue();
              if ((e.getKey().equals("metadata") || e.getKey().equals("s9pk"))
                  && ref.isTextual()
                  && !ref.textValue().contains("://")
                  && !ref.textValue().isEmpty()) {
                out.add(Path.of(ref.textValue()));
              }
            }
          });
    }
    return new ArrayList<>(out);
  }

  private static Path relative(Path dir, Path p) {
    return p.startsWith(dir) ? dir.relativize(p) : p;
  }

  /** The one {@code icon.<image extension>} in the project directory. */
  static Path findIcon(Path dir) {
    return optionalIcon(dir)
        .orElseThrow(() ->
            new StartException(
                ErrorKind.PACK,
                "no icon (icon.png, icon.svg, …) in " + dir + "; give one with --icon"));
  }

  /**
   * The project's license, as upstream finds it: the one file whose name without its extension is
   * {@code license} in any case ({@code LICENSE}, {@code LICENSE.md}, {@code License.txt}).
   */
  static Path findLicense(Path dir) {
    return optionalLicense(dir)
        .orElseThrow(() ->
            new StartException(
                ErrorKind.PACK,
                "no license file (LICENSE, LICENSE.md, …) in "
                    + dir
                    + "; give one with --license"));
  }

  private static Optional<Path> optionalLicense(Path dir) {
    return onlyOne(
        dir,
        name -> {
          int dot = name.indexOf('.');
          return (dot < 0 ? name : name.substring(0, dot)).equalsIgnoreCase("license");
        },
        "license file",
        "--license");
  }

  /** The one regular file of {@code dir} whose name {@code matches}, if there is one. */
  private static Optional<Path> onlyOne(
      Path dir, java.util.function.Predicate<String> matches, String what, String option) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found =
          files
              .filter(Files::isRegularFile)
              .filter(p -> matches.test(p.getFileName().toString()))
              .sorted()
              .toList();
      if (found.size() > 1) {
        throw new StartException(
            ErrorKind.PACK,
            "more than one " + what + " in " + dir + ": " + found + "; give one with " + option);
      }
      return found.stream().findFirst();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot list " + dir + ": " + e, e);
    }
  }

  private static Optional<Path> optionalIcon(Path dir) {
    return onlyOne(
        dir,
        name -> name.startsWith("icon.") && dev.hearth.s9pk.S9pk.isIconName(name),
        "icon",
        "--icon");
  }
}
