package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Fields a record does not know, kept so that writing it back loses nothing. */
final class Extra {
  private Extra() {}

  static Map<String, JsonNode> copy(@Nullable Map<String, JsonNode> extra) {
    return extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("the manifest field \"" + field + "\" is required");
    }
    return value;
  }
}
