package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A dependency (s9pk.md §11.2 {@code DepInfo}). The build-time keys {@code metadata} and {@code
 * s9pk} stay in {@link #extra()} until {@code pack} turns them into files and drops them.
 */
@JsonPropertyOrder({"description", "optional"})
public record DepInfo(
    @Nullable LocaleString description,
    Boolean optional,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
  public DepInfo {
    Extra.required(optional, "dependencies.*.optional");
    extra = Extra.copy(extra);
  }

  /** The same dependency without the build-time keys, as it is written into a built package. */
  public DepInfo withoutBuildMetadata() {
    Map<String, JsonNode> rest = new LinkedHashMap<>(extra);
    rest.remove("metadata");
    rest.remove("s9pk");
    return new DepInfo(description, optional, rest);
  }
}
