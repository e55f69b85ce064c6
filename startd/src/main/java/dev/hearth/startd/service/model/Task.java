package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task one package asks of the user (container-runtime.md §2.7 {@code action.create-task}): run
 * {@code actionId} of {@code packageId}, with {@code input.set} prefilled, unless its input already
 * matches one of {@code input.accept}. Optional members are left out of the JSON when absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(
    String packageId,
    String actionId,
    Severity severity,
    @Nullable String reason,
    @Nullable When when,
    @Nullable Input input) {

  public Task {
    Objects.requireNonNull(packageId, "packageId");
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(severity, "severity");
  }

  public enum Severity {
    @JsonProperty("critical")
    CRITICAL,
    @JsonProperty("important")
    IMPORTANT,
    @JsonProperty("optional")
    OPTIONAL
  }

  public enum Condition {
    @JsonProperty("input-not-matches")
    INPUT_NOT_MATCHES
  }

  public record When(boolean once, Condition condition) {
    public When {
      Objects.requireNonNull(condition, "condition");
    }
  }

  public enum InputKind {
    @JsonProperty("partial")
    PARTIAL
  }

  /** {@code accept} and {@code set} are partial input values: "any" in the spec. */
  public record Input(InputKind kind, List<JsonNode> accept, JsonNode set) {
    public Input {
      Objects.requireNonNull(kind, "kind");
      accept = accept == null ? List.of() : List.copyOf(accept);
      Objects.requireNonNull(set, "set");
    }
  }

  /** The patterns the action's input is checked against: none without an input. */
  public List<JsonNode> accept() {
    return input == null ? List.of() : input.accept();
  }
}
