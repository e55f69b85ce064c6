package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Flattens the images in a {@code docker save} archive (as S9PK v1 packages carry them) into
 * squashfs files without Docker: each image's layers are unpacked in order with {@code tar},
 * applying whiteouts ({@code .wh.name} deletes, {@code .wh..wh..opq} empties a directory), and its
 * config gives the ImageMetadata and environment.
 */
public final class DockerArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One flattened image: its id (the last path segment of its repository) and architecture. */
  public record Image(String id, String arch, Path squashfs, byte[] metadata, byte[] env) {}

  private DockerArchive() {}

  public static List<Image> flatten(Path tar, Path scratch) throws IOException {
    Path unpacked = scratch.resolve("docker-save");
    Files.createDirectories(unpacked);
    ExternalTool.run(
        ErrorKind.PACK, unpacked, List.of("tar", "-xf", tar.toString(), "-C", unpacked.toString()));
    JsonNode index = JSON.readTree(unpacked.resolve("manifest.json").toFile());
    List<Image> out = new ArrayList<>();
    int n = 0;
    for (JsonNode image : index) {
      JsonNode config = JSON.readTree(unpacked.resolve(image.path("Config").asText()).toFile());
      String tag = image.path("RepoTags").path(0).asText("image" + n + ":latest");
      String repo = tag.contains(":") ? tag.substring(0, tag.lastIndexOf(':')) : tag;
      String id = repo.substring(repo.lastIndexOf('/') + 1);
      String arch =
          switch (config.path("architecture").asText("amd64")) {
            case "arm64" -> "aarch64";
            case "amd64" -> "x86_64";
            default -> config.path("architecture").asText();
          };
      Path rootfs = scratch.resolve("rootfs-" + n++);
      Files.createDirectories(rootfs);
      for (JsonNode layer : image.path("Layers")) {
        applyLayer(unpacked.resolve(layer.asText()), rootfs);
      }
      Path sq = scratch.resolve(arch + "-" + id + ".squashfs");
      Squashfs.fromDirectory(rootfs, sq);
      deleteTree(rootfs);
      JsonNode c = config.path("config");
      ObjectNode meta = JsonNodeFactory.instance.objectNode();
      meta.put(
          "workdir",
          c.path("WorkingDir").asText("").isEmpty() ? "/" : c.path("WorkingDir").asText());
      meta.put("user", c.path("User").asText("").isEmpty() ? "root" : c.path("User").asText());
      meta.set(
          "entrypoint",
          c.path("Entrypoint").isArray()
              ? c.get("Entrypoint")
              : JsonNodeFactory.instance.nullNode());
      meta.set("cmd", c.path("Cmd").isArray() ? c.get("Cmd") : JsonNodeFactory.instance.nullNode());
      List<String> env = new ArrayList<>();
      c.path("Env").forEach(e -> env.add(e.asText()));
      out.add(
          new Image(
              id,
              arch,
              sq,
              JSON.writeValueAsBytes(meta),
              String.join("\n", env).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static void applyLayer(Path layer, Path rootfs) throws IOException {
    byte[] listing =
        ExternalTool.run(ErrorKind.PACK, rootfs, List.of("tar", "-tf", layer.toString()));
    for (String entry : new String(listing, StandardCharsets.UTF_8).split("\n")) {
      String path = entry.startsWith("./") ? entry.substring(2) : entry;
      int slash = path.lastIndexOf('/', path.endsWith("/") ? path.length() - 2 : path.length());
      String name = path.substring(slash + 1);
      String parent = slash < 0 ? "" : path.substring(0, slash);
      if (name.equals(".wh..wh..opq")) {
        Path dir = rootfs.resolve(parent).normalize();
        if (dir.startsWith(rootfs) && Files.isDirectory(dir)) {
          try (Stream<Path> kids = Files.list(dir)) {
            for (Path k : kids.toList()) {
              deleteTree(k);
            }
          }
        }
      } else if (name.startsWith(".wh.")) {
        Path gone = rootfs.resolve(parent).resolve(name.substring(4)).normalize();
        if (gone.startsWith(rootfs)) {
          deleteTree(gone);
        }
      }
    }
    ExternalTool.run(
        ErrorKind.PACK,
        rootfs,
        List.of(
            "tar",
            "-xf",
            layer.toString(),
            "-C",
            rootfs.toString(),
            "--numeric-owner",
            "--exclude=.wh.*",
            "--exclude=*/.wh.*"));
  }

  /** Squashes a directory; returns the squashfs path. */
  public static Path squash(Path dir, Path out) {
    Squashfs.fromDirectory(dir, out);
    return out;
  }

  public static void deleteTree(Path root) {
    if (Files.isSymbolicLink(root)) {
      try {
        Files.delete(root);
      } catch (IOException e) {
        throw new StartException(ErrorKind.FILESYSTEM, "cannot remove " + root + ": " + e, e);
      }
      return;
    }
    Squashfs.deleteTree(root);
  }
}
