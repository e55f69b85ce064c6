package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Writes an OCI image layout (blobs, manifests, index) the way a test wants it. */
final class TestOciLayout {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String INDEX = "application/vnd.oci.image.index.v1+json";

  record Layer(byte[] blob, TestLayer.Compression compression) {
    static Layer of(TestLayer l, TestLayer.Compression c) {
      return new Layer(l.bytes(c), c);
    }
  }

  private final Path dir;
  private final ArrayNode top = JSON.createArrayNode();

  TestOciLayout(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  /**
   * Writes an image for {@code arch} and returns its manifest's descriptor (with platform). {@code
   * config} holds the Docker-style fields (Entrypoint, Cmd, User, Env, WorkingDir).
   */
  ObjectNode image(String arch, ObjectNode config, List<Layer> layers) throws Exception {
    ObjectNode cfg = JSON.createObjectNode();
    cfg.put("architecture", arch).put("os", "linux");
    cfg.set("config", config);
    ArrayNode diffIds = cfg.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    ObjectNode manifest =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
    ArrayNode ls = manifest.putArray("layers");
    for (Layer l : layers) {
      ls.add(blob(l.blob(), l.compression().mediaType));
      diffIds.add(digest(plain(l)));
    }
    manifest.set(
        "config", blob(JSON.writeValueAsBytes(cfg), "application/vnd.oci.image.config.v1+json"));
    ObjectNode d = blob(JSON.writeValueAsBytes(manifest), MANIFEST);
    d.putObject("platform").put("architecture", arch).put("os", "linux");
    return d;
  }

  /** Tags one image, or an index of several, in index.json. */
  TestOciLayout tag(String ref, List<ObjectNode> images) throws Exception {
    ObjectNode d;
    if (images.size() == 1) {
      d = images.getFirst().deepCopy();
    } else {
      ObjectNode idx = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
      idx.putArray("manifests").addAll(images);
      d = blob(JSON.writeValueAsBytes(idx), INDEX);
    }
    d.putObject("annotations").put("org.opencontainers.image.ref.name", ref);
    top.add(d);
    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
    index.set("manifests", top);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    return this;
  }

  static ObjectNode config() {
    return JSON.createObjectNode();
  }

  private ObjectNode blob(byte[] bytes, String mediaType) throws Exception {
    String digest = digest(bytes);
    Files.write(dir.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);
    return JSON.createObjectNode()
        .put("mediaType", mediaType)
        .put("digest", digest)
        .put("size", bytes.length);
  }

  private static byte[] plain(Layer l) throws IOException {
    return switch (l.compression()) {
      case NONE -> l.blob();
      case GZIP ->
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(l.blob()))
              .readAllBytes();
      case ZSTD ->
          new io.airlift.compress.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(l.blob()))
              .readAllBytes();
    };
  }

  static String digest(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
