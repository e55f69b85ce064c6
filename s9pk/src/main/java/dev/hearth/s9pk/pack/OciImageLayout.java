package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ImageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OCI image layout directory (index.json, blobs/sha256/…): picks the image for one
 * architecture, through nested indexes and Docker manifest lists, and checks every blob it hands
 * out against its digest and size, so a cache or a layout someone else wrote cannot slip in
 * different bytes.
 */
final class OciImageLayout {
  /** One image of the layout: its metadata and its layer blobs, lowest first, all verified. */
  record Image(ImageMetadata metadata, List<Path> layers) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_JSON = 4 << 20;
  private static final Pattern DIGEST =
      Pattern.compile("(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})");
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final Path dir;
  private final String what;

  OciImageLayout(Path dir, String what) {
    this.dir = dir;
    this.what = what;
  }

  /** The architecture an image is built for, in OCI's words ({@code amd64}…), from ours. */
  static String ociArch(String arch) {
    return switch (arch) {
      case "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch; // riscv64 is riscv64 in both
    };
  }

  /**
   * The image for {@code arch} ({@code x86_64}…), among the index entries tagged {@code ref} (all
   * entries if null); empty if there is none for that architecture.
   */
  Optional<Image> image(@Nullable String ref, String arch) {
    if (!Files.isRegularFile(dir.resolve("index.json"))) {
      throw fail("is not an OCI image layout: " + dir.resolve("index.json") + " is missing");
    }
    JsonNode index = readJson(read(dir.resolve("index.json")));
    List<JsonNode> candidates = new ArrayList<>();
    for (JsonNode d : index.path("manifests")) {
      if (ref == null || ref.equals(d.path("annotations").path(REF_NAME).asText(null))) {
        candidates.add(d);
      }
    }
    if (ref != null && candidates.isEmpty()) {
      throw fail("has no image tagged \"" + ref + "\" in " + dir);
    }
    return select(candidates, ociArch(arch), 0);
  }

  private Optional<Image> select(List<JsonNode> descriptors, String arch, int depth) {
    if (depth > 4) {
      throw fail("nests image indexes more than 4 deep");
    }
    for (JsonNode d : descriptors) {
      String type = d.path("mediaType").asText("");
      JsonNode platform = d.get("platform");
      if (platform != null && !platformMatches(platform, arch)) {
        continue;
      }
      if (type.endsWith("image.index.v1+json") || type.endsWith("manifest.list.v2+json")) {
        List<JsonNode> nested = new ArrayList<>();
        readJson(blob(d)).path("manifests").forEach(nested::add);
        Optional<Image> found = select(nested, arch, depth + 1);
        if (found.isPresent()) {
          return found;
        }
      } else if (type.endsWith("image.manifest.v1+json") || type.endsWith("manifest.v2+json")) {
        JsonNode manifest = readJson(blob(d));
        JsonNode config = readJson(blob(manifest.path("config")));
        if (platform == null && !platformMatches(config, arch)) {
          continue;
        }
        List<Path> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
          String lt = layer.path("mediaType").asText("");
          if (!lt.contains("tar") || lt.contains("encrypted")) {
            throw fail("has a layer of the media type \"" + lt + "\", which is not a tar archive");
          }
          layers.add(verifiedBlob(layer));
        }
        return Optional.of(new Image(metadata(config), layers));
      }
    }
    return Optional.empty();
  }

  private ImageMetadata metadata(JsonNode config) {
    try {
      return ImageMetadata.fromOciConfig(config);
    } catch (IllegalArgumentException e) {
      throw fail("has an image config that cannot be used: " + e.getMessage());
    }
  }

  private static boolean platformMatches(JsonNode platform, String arch) {
    return arch.equals(platform.path("architecture").asText(""))
        && "linux".equals(platform.path("os").asText("linux"));
  }

  private byte[] blob(JsonNode descriptor) {
    Path p = verifiedBlob(descriptor);
    if (descriptor.path("size").asLong(-1) > MAX_JSON) {
      throw fail("has a JSON blob larger than " + MAX_JSON + " bytes");
    }
    return read(p);
  }

  /** The blob a descriptor names, after checking its size and digest. */
  Path verifiedBlob(JsonNode descriptor) {
    String digest = descriptor.path("digest").asText("");
    if (!DIGEST.matcher(digest).matches()) {
      throw fail(
          "names a blob by the digest \"" + digest + "\", which is not sha256: or sha512: hex");
    }
    String[] alg = digest.split(":");
    Path p = dir.resolve("blobs").resolve(alg[0]).resolve(alg[1]);
    long size = descriptor.path("size").asLong(-1);
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance(alg[0].equals("sha256") ? "SHA-256" : "SHA-512");
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        total += n;
      }
      if (!HexFormat.of().formatHex(md.digest()).equals(alg[1]) || (size >= 0 && total != size)) {
        throw fail("has the blob " + digest + ", whose bytes do not match its digest or size");
      }
    } catch (IOException e) {
      throw fail("lacks the blob " + digest + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  private byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw fail("cannot be read: " + e.getMessage());
    }
  }

  private JsonNode readJson(byte[] bytes) {
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw fail("has a JSON document that is not an object");
      }
      return n;
    } catch (IOException e) {
      throw fail("has JSON that cannot be parsed: " + e.getMessage());
    }
  }

  private StartException fail(String why) {
    return new StartException(ErrorKind.PACK, what + " " + why);
  }
}
