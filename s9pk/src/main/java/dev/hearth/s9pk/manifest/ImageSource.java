package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where an image comes from (s9pk.md §11.2 {@code source}). Inside a built package it is always
 * {@link Packed}. Upstream's Docker sources are kept as given; {@link Rootfs} is Hearth's own
 * build-time source: a root filesystem directory or a tar archive of one.
 */
public sealed interface ImageSource {
  /** {@code "packed"}: the image is in the package. */
  record Packed() implements ImageSource {
    @Override
    public JsonNode json() {
      return JsonNodeFactory.instance.textNode("packed");
    }
  }

  /** {@code {"dockerBuild": {workdir?, dockerfile?, buildArgs?}}}: needs Docker. */
  record DockerBuild(JsonNode spec) implements ImageSource {
    @Override
    public JsonNode json() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("dockerBuild", spec);
      return o;
    }
  }

  /** {@code {"dockerTag": "…"}}: needs Docker. */
  record DockerTag(String tag) implements ImageSource {
    @Override
    public JsonNode json() {
      return JsonNodeFactory.instance.objectNode().put("dockerTag", tag);
    }
  }

  /**
   * {@code {"rootfs": "path"}} (Hearth): a directory holding the image's root filesystem, or a tar
   * archive of one ({@code .tar}, {@code .tar.gz}, …); relative paths are from the package's
   * directory.
   */
  record Rootfs(String path) implements ImageSource {
    @Override
    public JsonNode json() {
      return JsonNodeFactory.instance.objectNode().put("rootfs", path);
    }
  }

  @JsonValue
  JsonNode json();

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ImageSource fromJson(JsonNode node) {
    if (node.isTextual() && node.textValue().equals("packed")) {
      return new Packed();
    }
    if (node.isObject() && node.size() == 1) {
      if (node.has("dockerBuild")) {
        return new DockerBuild(node.get("dockerBuild"));
      }
      if (node.path("dockerTag").isTextual()) {
        return new DockerTag(node.get("dockerTag").textValue());
      }
      if (node.path("rootfs").isTextual()) {
        return new Rootfs(node.get("rootfs").textValue());
      }
    }
    throw new IllegalArgumentException(
        "an image source is \"packed\", {\"dockerBuild\": …}, {\"dockerTag\": …} or {\"rootfs\": path}, not "
            + node);
  }
}
