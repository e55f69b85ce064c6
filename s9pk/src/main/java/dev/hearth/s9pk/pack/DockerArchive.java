package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Flattens the images in a {@code docker save} archive (as S9PK v1 packages carry them) into
 * squashfs files without Docker: each layer is unpacked with {@code tar} into a directory of its
 * own and stacked by {@link LayerStack}, and the image's config gives the ImageMetadata and
 * environment.
 *
 * <p>Everything in the archive is untrusted (a v1 package's signature is not checked): the paths
 * its index names must be plain files inside it, and the architecture and image id must be ids
 * before either becomes part of a file name.
 */
public final class DockerArchive {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ARCH = Pattern.compile("[a-z0-9_]{1,32}");
  private static final long MAX_JSON_BYTES = 16 << 20;

  /** One flattened image: its id (the last path segment of its repository) and architecture. */
  public record Image(String id, String arch, Path squashfs, byte[] metadata, byte[] env) {}

  private DockerArchive() {}

  /**
   * @throws StartException PACK if the archive is malformed, a layer cannot be unpacked or an image
   *     holds a device node, INVALID_ID if an image's name is not an id
   */
  public static List<Image> flatten(Path tar, Path scratch) throws IOException {
    Path unpacked = scratch.resolve("docker-save");
    Files.createDirectories(unpacked);
    untar(tar, unpacked);
    JsonNode index = json(fileInside(unpacked, "manifest.json", "index"));
    List<Image> out = new ArrayList<>();
    int n = 0;
    for (JsonNode image : index) {
      JsonNode config = json(fileInside(unpacked, image.path("Config").asText(), "config"));
      String tag = image.path("RepoTags").path(0).asText("image" + n + ":latest");
      String repo = tag.contains(":") ? tag.substring(0, tag.lastIndexOf(':')) : tag;
      String id = Ids.check("image id", repo.substring(repo.lastIndexOf('/') + 1));
      String arch = arch(config.path("architecture").asText("amd64"));
      Path rootfs = scratch.resolve("rootfs-" + n);
      int k = 0;
      for (JsonNode layer : image.path("Layers")) {
        Path unpackedLayer = scratch.resolve("layer-" + n + "-" + k++);
        Files.createDirectories(unpackedLayer);
        untar(fileInside(unpacked, layer.asText(), "layer"), unpackedLayer);
        LayerStack.apply(unpackedLayer, rootfs);
      }
      n++;
      Files.createDirectories(rootfs); // an image without layers is an empty root
      Path sq = scratch.resolve(arch + "-" + id + ".squashfs");
      Squashfs.fromDirectory(rootfs, sq, "image " + id);
      deleteTree(rootfs);
      out.add(new Image(id, arch, sq, metadata(config.path("config")), env(config.path("config"))));
    }
    return out;
  }

  private static byte[] metadata(JsonNode c) throws IOException {
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.put(
        "workdir", c.path("WorkingDir").asText("").isEmpty() ? "/" : c.path("WorkingDir").asText());
    meta.put("user", c.path("User").asText("").isEmpty() ? "root" : c.path("User").asText());
    meta.set(
        "entrypoint",
        c.path("Entrypoint").isArray() ? c.get("Entrypoint") : JsonNodeFactory.instance.nullNode());
    meta.set("cmd", c.path("Cmd").isArray() ? c.get("Cmd") : JsonNodeFactory.instance.nullNode());
    return JSON.writeValueAsBytes(meta);
  }

  private static byte[] env(JsonNode c) {
    List<String> env = new ArrayList<>();
    c.path("Env").forEach(e -> env.add(e.asText()));
    return String.join("\n", env).getBytes(StandardCharsets.UTF_8);
  }

  /** Docker's architecture names as upstream's; anything else must look like one. */
  private static String arch(String docker) {
    String arch =
        switch (docker) {
          case "arm64" -> "aarch64";
          case "amd64" -> "x86_64";
          default -> docker;
        };
    if (!ARCH.matcher(arch).matches()) {
      throw new StartException(
          ErrorKind.PACK, "an image's architecture \"" + arch + "\" is not an architecture name");
    }
    return arch;
  }

  private static void untar(Path archive, Path into) {
    ExternalTool.run(
        ErrorKind.PACK,
        into,
        List.of("tar", "-xf", archive.toString(), "-C", into.toString(), "--numeric-owner"));
  }

  /**
   * The file {@code rel} names inside {@code base}: relative, without {@code .} or {@code ..}, a
   * regular file reached through real directories only, so no link in the archive can point the
   * read at a file elsewhere on this machine.
   */
  static Path fileInside(Path base, String rel, String what) {
    Path at = base;
    String[] parts = rel.split("/", -1);
    boolean plain = !rel.isEmpty();
    for (int i = 0; plain && i < parts.length; i++) {
      String part = parts[i];
      plain = !part.isEmpty() && !part.equals(".") && !part.equals("..");
      if (plain) {
        at = at.resolve(part);
        plain =
            i == parts.length - 1
                ? Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS)
                : Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS);
      }
    }
    if (!plain) {
      throw new StartException(
          ErrorKind.PACK,
          "the image archive's " + what + " \"" + rel + "\" is not a plain file inside it");
    }
    return at;
  }

  private static JsonNode json(Path file) throws IOException {
    if (Files.size(file) > MAX_JSON_BYTES) {
      throw new StartException(
          ErrorKind.PACK, file.getFileName() + " in the image archive is over 16 MiB");
    }
    return JSON.readTree(file.toFile());
  }

  /**
   * Squashes a directory; returns the squashfs path.
   *
   * @param what the tree in messages, e.g. {@code "the javascript bundle"}
   * @throws StartException PACK if the tree holds a device node or mksquashfs fails
   */
  public static Path squash(Path dir, Path out, String what) {
    Squashfs.fromDirectory(dir, out, what);
    return out;
  }

  public static void deleteTree(Path root) {
    Trees.delete(root);
  }
}
