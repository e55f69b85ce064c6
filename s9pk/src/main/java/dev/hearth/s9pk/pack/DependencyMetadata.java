package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.DepInfo;
import dev.hearth.s9pk.manifest.ManifestJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code dependencies/<id>/metadata.json} and {@code icon.<ext>} from a dependency's build-time
 * {@code metadata: {title, icon}} or {@code s9pk: path} (s9pk.md §11.2). Paths only: URLs would
 * need a download this build does not make.
 */
final class DependencyMetadata {
  private DependencyMetadata() {}

  static Directory add(Directory root, Path projectDir, String id, DepInfo dep) {
    String dir = "dependencies/" + id + "/";
    JsonNode metadata = dep.extra().get("metadata");
    JsonNode s9pk = dep.extra().get("s9pk");
    if (metadata != null && metadata.isObject()) {
      ObjectNode meta = JsonNodeFactory.instance.objectNode();
      meta.set("title", metadata.path("title"));
      root = root.withPath(dir + "metadata.json", Entry.file(json(meta)));
      JsonNode icon = metadata.get("icon");
      if (icon != null && icon.isTextual() && !icon.textValue().isEmpty()) {
        Path file = local(projectDir, icon.textValue(), id);
        root =
            root.withPath(
                dir + "icon." + Packer.extension(file),
                Entry.file(Packer.requireFile(file, "dependency icon")));
      }
    } else if (s9pk != null && s9pk.isTextual() && !s9pk.textValue().isEmpty()) {
      try (S9pk other = S9pk.open(local(projectDir, s9pk.textValue(), id))) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("title", other.manifest().title());
        root = root.withPath(dir + "metadata.json", Entry.file(json(meta)));
        var icon = other.icon();
        if (icon.isPresent()) {
          Map.Entry<String, Entry> e = icon.get();
          root =
              root.withPath(
                  dir + e.getKey(), Entry.file(e.getValue().readAll(e.getKey(), 16 << 20)));
        }
      } catch (IOException e) {
        throw new StartException(
            ErrorKind.FILESYSTEM, "cannot read the s9pk of dependency " + id, e);
      }
    }
    return root;
  }

  private static Path local(Path projectDir, String ref, String id) {
    if (ref.contains("://")) {
      throw new StartException(
          ErrorKind.PACK,
          "dependency " + id + " refers to " + ref + "; only local paths are supported");
    }
    return projectDir.resolve(ref).normalize();
  }

  private static byte[] json(JsonNode node) {
    try {
      return ManifestJson.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new StartException(ErrorKind.SERIALIZATION, "cannot write dependency metadata", e);
    }
  }
}
