package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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

  /**
   * {@code {"dockerBuild": {workdir?, dockerfile?, buildArgs?}}}: built with buildah; {@code
   * workdir} defaults to {@code "."}, {@code dockerfile} to {@code "Dockerfile"} (relative to the
   * package's directory, as upstream resolves both).
   */
  record DockerBuild(JsonNode spec) implements ImageSource {
    public DockerBuild {
      if (!spec.isObject() && !spec.isNull()) {
        throw new IllegalArgumentException("dockerBuild is an object, not " + spec);
      }
      for (String f : List.of("workdir", "dockerfile")) {
        if (spec.has(f) && !spec.get(f).isTextual()) {
          throw new IllegalArgumentException(
              "dockerBuild." + f + " is a string, not " + spec.get(f));
        }
      }
      if (spec.has("buildArgs") && !spec.get("buildArgs").isObject()) {
        throw new IllegalArgumentException("dockerBuild.buildArgs is an object, not " + spec);
      }
    }

    public String workdir() {
      return spec.path("workdir").asText(".");
    }

    /** The Dockerfile; upstream's default is {@code Dockerfile} inside {@code workdir}. */
    public String dockerfile() {
      return spec.has("dockerfile")
          ? spec.get("dockerfile").textValue()
          : java.nio.file.Path.of(workdir()).resolve("Dockerfile").normalize().toString();
    }

    /**
     * Build arguments: {@code name: "value"}, or {@code name: {"env": VAR}} for the value of an
     * environment variable of the packing process (left out when it is not set, as Docker leaves
     * out an argument without a value).
     */
    public Map<String, String> buildArgs(Map<String, String> environment) {
      Map<String, String> args = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : spec.path("buildArgs").properties()) {
        JsonNode v = e.getValue();
        if (v.isTextual()) {
          args.put(e.getKey(), v.textValue());
        } else if (v.path("env").isTextual()) {
          String value = environment.get(v.get("env").textValue());
          if (value != null) {
            args.put(e.getKey(), value);
          }
        } else {
          throw new IllegalArgumentException(
              "dockerBuild.buildArgs." + e.getKey() + " is a string or {\"env\": name}, not " + v);
        }
      }
      return args;
    }

    @Override
    public JsonNode json() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("dockerBuild", spec);
      return o;
    }
  }

  /** {@code {"dockerTag": "…"}}: pulled from its registry with skopeo. */
  record DockerTag(String tag) implements ImageSource {
    @Override
    public JsonNode json() {
      return JsonNodeFactory.instance.objectNode().put("dockerTag", tag);
    }
  }

  /**
   * {@code {"rootfs": "path", "entrypoint"?, "cmd"?, "user"?, "workdir"?, "env"?}} (Hearth): a
   * directory holding the image's root filesystem, or a tar archive of one ({@code .tar}, {@code
   * .tar.gz}, …), relative to the package's directory, with the metadata a Docker config would give
   * (absent fields keep {@link ImageMetadata#DEFAULTS}).
   */
  record Rootfs(String path, ImageMetadata metadata) implements ImageSource {
    public Rootfs(String path) {
      this(path, ImageMetadata.DEFAULTS);
    }

    @Override
    public JsonNode json() {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("rootfs", path);
      metadata.writeSourceFields(o);
      return o;
    }
  }

  /**
   * {@code {"ociLayout": "dir", "ref"?: "tag"}} (Hearth): an OCI image layout directory, relative
   * to the package's directory; each architecture takes the image whose index entry names its
   * platform (and, with {@code ref}, carries that tag). Metadata comes from the image config.
   */
  record OciLayout(String dir, @Nullable String ref) implements ImageSource {
    @Override
    public JsonNode json() {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("ociLayout", dir);
      if (ref != null) {
        o.put("ref", ref);
      }
      return o;
    }
  }

  Set<String> ROOTFS_FIELDS = Set.of("rootfs", "entrypoint", "cmd", "user", "workdir", "env");

  @JsonValue
  JsonNode json();

  private static void onlyFields(JsonNode node, Set<String> allowed) {
    for (String name : (Iterable<String>) node::fieldNames) {
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "an image source "
                + node
                + " has the unknown field \""
                + name
                + "\"; it may have "
                + new java.util.TreeSet<>(allowed));
      }
    }
  }

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
    }
    if (node.isObject() && node.path("rootfs").isTextual()) {
      onlyFields(node, ROOTFS_FIELDS);
      return new Rootfs(node.get("rootfs").textValue(), ImageMetadata.fromSourceFields(node));
    }
    if (node.isObject() && node.path("ociLayout").isTextual()) {
      onlyFields(node, Set.of("ociLayout", "ref"));
      JsonNode ref = node.get("ref");
      if (ref != null && !ref.isTextual()) {
        throw new IllegalArgumentException("an ociLayout's ref is a string, not " + ref);
      }
      return new OciLayout(node.get("ociLayout").textValue(), ref == null ? null : ref.textValue());
    }
    throw new IllegalArgumentException(
        "an image source is \"packed\", {\"dockerBuild\": …}, {\"dockerTag\": …}, {\"rootfs\": path, …}"
            + " or {\"ociLayout\": dir}, not "
            + node);
  }
}
