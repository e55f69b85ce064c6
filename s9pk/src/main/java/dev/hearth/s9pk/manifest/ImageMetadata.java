package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the runtime needs to start an image's own command (s9pk.md §8): the package's {@code
 * images/<arch>/<id>.json} ({@code workdir}, {@code user}, {@code entrypoint}, {@code cmd}) and
 * {@code <id>.env} (one {@code KEY=VALUE} per line, no trailing newline).
 */
public record ImageMetadata(
    String workdir,
    String user,
    @Nullable List<String> entrypoint,
    @Nullable List<String> cmd,
    List<String> env) {
  // before DEFAULTS: the constructor needs it
  private static final Pattern ENV_ENTRY = Pattern.compile("[^=\\x00-\\x1f]+=[^\\x00\\n]*");

  /** Docker's default PATH, which images built by Docker carry in their environment. */
  public static final String DEFAULT_PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Upstream's defaults for an image without a config to take them from. */
  public static final ImageMetadata DEFAULTS =
      new ImageMetadata("/", "root", null, null, List.of(DEFAULT_PATH));

  public ImageMetadata {
    if (user.isEmpty() || user.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(
          "an image's user must be a non-empty name, not \"" + user + "\"");
    }
    if (!workdir.startsWith("/") || workdir.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(
          "an image's workdir must be an absolute path, not \"" + workdir + "\"");
    }
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = List.copyOf(env);
    for (String e : env) {
      if (!ENV_ENTRY.matcher(e).matches()) {
        throw new IllegalArgumentException(
            "an image's env entries are \"KEY=VALUE\" on one line, not \"" + e + "\"");
      }
    }
  }

  /** The {@code <id>.json} file, keys in upstream's order. */
  public byte[] metadataJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("workdir", workdir);
    o.put("user", user);
    o.set("entrypoint", array(entrypoint));
    o.set("cmd", array(cmd));
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code <id>.env} file. */
  public byte[] envFile() {
    return String.join("\n", env).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the {@code config} object of an OCI image configuration (or Docker's, which has the same
   * fields): empty {@code WorkingDir} and {@code User} become upstream's defaults, as Docker does.
   */
  public static ImageMetadata fromOciConfig(JsonNode imageConfig) {
    JsonNode c = imageConfig.path("config");
    String workdir = c.path("WorkingDir").asText("");
    String user = c.path("User").asText("");
    return new ImageMetadata(
        workdir.isEmpty() ? "/" : workdir,
        user.isEmpty() ? "root" : user,
        strings(c.get("Entrypoint"), "Entrypoint"),
        strings(c.get("Cmd"), "Cmd"),
        c.has("Env") && !c.get("Env").isNull() ? strings(c.get("Env"), "Env") : List.of());
  }

  /**
   * Reads the metadata fields beside a source ({@code entrypoint}, {@code cmd}, {@code user},
   * {@code workdir}, {@code env}); an absent field keeps {@link #DEFAULTS}.
   */
  static ImageMetadata fromSourceFields(JsonNode node) {
    return new ImageMetadata(
        node.has("workdir") ? text(node.get("workdir"), "workdir") : DEFAULTS.workdir(),
        node.has("user") ? text(node.get("user"), "user") : DEFAULTS.user(),
        strings(node.get("entrypoint"), "entrypoint"),
        strings(node.get("cmd"), "cmd"),
        node.has("env") ? strings(node.get("env"), "env") : DEFAULTS.env());
  }

  /** Writes the fields that differ from {@link #DEFAULTS} into a source object. */
  void writeSourceFields(ObjectNode o) {
    if (entrypoint != null) {
      o.set("entrypoint", array(entrypoint));
    }
    if (cmd != null) {
      o.set("cmd", array(cmd));
    }
    if (!user.equals(DEFAULTS.user())) {
      o.put("user", user);
    }
    if (!workdir.equals(DEFAULTS.workdir())) {
      o.put("workdir", workdir);
    }
    if (!env.equals(DEFAULTS.env())) {
      o.set("env", array(env));
    }
  }

  private static String text(JsonNode n, String field) {
    if (!n.isTextual()) {
      throw new IllegalArgumentException("an image's " + field + " is a string, not " + n);
    }
    return n.textValue();
  }

  private static @Nullable List<String> strings(@Nullable JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(
          "an image's " + field + " is an array of strings or null, not " + n);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      out.add(text(e, field + " entry"));
    }
    return out;
  }

  private static JsonNode array(@Nullable List<String> values) {
    if (values == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }
}
