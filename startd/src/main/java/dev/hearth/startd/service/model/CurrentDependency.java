package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dependency the package declared through {@code set-dependencies} ({@code
 * currentDependencies.<id>}, patchdb.md §7.1); {@code healthChecks} only for {@link Kind#RUNNING}.
 */
public record CurrentDependency(
    @Nullable String title,
    @Nullable String icon,
    String versionRange,
    Kind kind,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> healthChecks) {

  public enum Kind {
    @JsonProperty("exists")
    EXISTS,
    @JsonProperty("running")
    RUNNING
  }

  public CurrentDependency {
    Objects.requireNonNull(versionRange, "versionRange");
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.RUNNING) {
      healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
    } else {
      healthChecks = null;
    }
  }
}
