package dev.hearth.s9pk.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.ArchiveSource;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.pack.DockerArchive;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rebuilds a v1 package as v2 (s9pk.md §10, import only) and signs it with the developer key: the
 * CBOR manifest becomes a v2 manifest, license, instructions and icon are copied, the Docker image
 * archive is flattened into one squashfs per image and architecture, and the v1 scripts and
 * manifest go into {@code javascript.squashfs} for a compatibility runtime to interpret.
 */
public final class Conversion {
  private static final ObjectMapper CBOR = new CBORMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_SMALL = 16 << 20;

  private Conversion() {}

  /**
   * @throws StartException PARSE_S9PK if the v1 file is malformed, PACK if a part cannot be
   *     converted
   */
  public static Path convert(Path v1, Path out, DeveloperKey key) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("hearth-convert-");
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot make a scratch directory: " + e, e);
    }
    try (LegacyPackage pkg = LegacyPackage.open(ArchiveSource.of(v1))) {
      JsonNode old =
          CBOR.readTree(
              pkg.bytes("manifest", MAX_SMALL)
                  .orElseThrow(() -> LegacyPackage.malformed("the v1 package has no manifest")));
      Directory root = Directory.empty();
      root =
          root.with("LICENSE.md", Entry.file(pkg.bytes("license", MAX_SMALL).orElse(new byte[0])));
      root =
          root.with(
              "instructions.md",
              Entry.file(pkg.bytes("instructions", MAX_SMALL).orElse(new byte[0])));
      byte[] icon =
          pkg.bytes("icon", MAX_SMALL)
              .orElseThrow(() -> LegacyPackage.malformed("the v1 package has no icon"));
      root = root.with("icon." + iconExtension(icon, old), Entry.file(icon));
      Path js = scratch.resolve("javascript");
      Files.createDirectories(js);
      Files.write(js.resolve("manifest.json"), new ObjectMapper().writeValueAsBytes(old));
      if (pkg.sections().containsKey("scripts")) {
        try (InputStream in = pkg.stream("scripts").orElseThrow()) {
          Files.copy(in, js.resolve("embassy.js"));
        }
      }
      root =
          root.with(
              "javascript.squashfs",
              Entry.file(
                  DockerArchive.squash(
                      js, scratch.resolve("javascript.squashfs"), "the javascript bundle")));
      ObjectNode images = F.objectNode();
      if (pkg.sections().containsKey("docker_images")) {
        Path tar = scratch.resolve("images.tar");
        try (InputStream in = pkg.stream("docker_images").orElseThrow()) {
          Files.copy(in, tar);
        }
        for (DockerArchive.Image image : DockerArchive.flatten(tar, scratch)) {
          String base = "images/" + image.arch() + "/" + image.id();
          root = root.withPath(base + ".squashfs", Entry.file(image.squashfs()));
          root = root.withPath(base + ".json", Entry.file(image.metadata()));
          root = root.withPath(base + ".env", Entry.file(image.env()));
          ObjectNode cfg = (ObjectNode) images.get(image.id());
          if (cfg == null) {
            cfg = images.putObject(image.id());
            cfg.put("source", "packed");
            cfg.putArray("arch");
            cfg.putNull("emulateMissingAs");
            cfg.put("nvidiaContainer", false);
          }
          ((ArrayNode) cfg.get("arch")).add(image.arch());
        }
      }
      Manifest manifest = ManifestJson.parse(manifest(old, images));
      try (S9pk v2 = S9pk.of(manifest, root)) {
        v2.validateAndFilter(java.util.Optional.empty()).writeSigned(out, key);
      }
      return out;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "converting " + v1 + " failed: " + e, e);
    } finally {
      dev.hearth.s9pk.pack.DockerArchive.deleteTree(scratch);
    }
  }

  /** The v2 manifest of a v1 one (kebab-case keys, emver versions). */
  static JsonNode manifest(JsonNode old, ObjectNode images) {
    ObjectNode m = F.objectNode();
    m.put("id", old.path("id").asText());
    m.put("version", exver(old.path("version").asText()));
    m.put("canMigrateTo", "*");
    m.put("canMigrateFrom", "*");
    m.put("title", old.path("title").asText(old.path("id").asText()));
    ObjectNode description = m.putObject("description");
    description.set(
        "short",
        old.path("description").path("short").isMissingNode()
            ? F.textNode("")
            : old.path("description").path("short"));
    description.set(
        "long",
        old.path("description").path("long").isMissingNode()
            ? F.textNode("")
            : old.path("description").path("long"));
    m.put("releaseNotes", old.path("release-notes").asText(""));
    m.putNull("gitHash");
    m.put("license", old.path("license").asText(""));
    m.put("packageRepo", old.path("wrapper-repo").asText(Manifest.DEFAULT_PACKAGE_REPO));
    m.put("upstreamRepo", old.path("upstream-repo").asText(Manifest.DEFAULT_PACKAGE_REPO));
    m.set("marketingUrl", textOrNull(old.path("marketing-site")));
    m.set("donationUrl", textOrNull(old.path("donation-url")));
    m.put("osVersion", old.path("eos-version").asText("0.3.5"));
    m.putNull("sdkVersion");
    m.set("images", images);
    ArrayNode volumes = m.putArray("volumes");
    old.path("volumes").fieldNames().forEachRemaining(volumes::add);
    ObjectNode deps = m.putObject("dependencies");
    for (Map.Entry<String, JsonNode> d : old.path("dependencies").properties()) {
      ObjectNode dep = deps.putObject(d.getKey());
      dep.set("description", textOrNull(d.getValue().path("description")));
      dep.put(
          "optional",
          !"required".equals(d.getValue().path("requirement").path("type").asText("required")));
    }
    ObjectNode hw = m.putObject("hardwareRequirements");
    hw.putArray("device");
    hw.putNull("ram");
    JsonNode arch = old.path("hardware-requirements").path("arch");
    hw.set("arch", arch.isArray() ? arch : F.nullNode());
    if (!arch.isArray()) {
      images
          .properties()
          .forEach(e ->
              ((ObjectNode) e.getValue())
                  .put("emulateMissingAs", e.getValue().path("arch").path(0).asText()));
    }
    return m;
  }

  /**
   * emver {@code a.b.c.d} is upstream {@code a.b.c}, downstream {@code d}; three parts get {@code
   * :0}.
   */
  static String exver(String emver) {
    String[] parts = emver.split("\\.");
    if (parts.length == 4) {
      return parts[0] + "." + parts[1] + "." + parts[2] + ":" + parts[3];
    }
    return emver + ":0";
  }

  private static JsonNode textOrNull(JsonNode n) {
    return n.isTextual() ? n : F.nullNode();
  }

  private static String iconExtension(byte[] icon, JsonNode manifest) {
    String declared = manifest.path("assets").path("icon").asText("");
    int dot = declared.lastIndexOf('.');
    if (dot >= 0 && S9pk.isIconName("icon" + declared.substring(dot))) {
      return declared.substring(dot + 1);
    }
    if (icon.length > 4 && (icon[0] & 0xff) == 0x89 && icon[1] == 'P') {
      return "png";
    }
    if (icon.length > 2 && (icon[0] & 0xff) == 0xff && (icon[1] & 0xff) == 0xd8) {
      return "jpg";
    }
    if (icon.length > 12
        && icon[8] == 'W'
        && icon[9] == 'E'
        && icon[10] == 'B'
        && icon[11] == 'P') {
      return "webp";
    }
    return "svg";
  }
}
