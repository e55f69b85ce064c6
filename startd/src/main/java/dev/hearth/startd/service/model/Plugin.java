package dev.hearth.startd.service.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** What a package registered with the plugins it declares ({@code plugin}, patchdb.md §7.1). */
public record Plugin(@Nullable Url url) {
  /** The {@code url} plugin: the action shown in its table ("any" as far as we are concerned). */
  public record Url(@Nullable JsonNode tableAction) {}

  public static Plugin none() {
    return new Plugin(null);
  }
}
