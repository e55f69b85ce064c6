package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.service.model.ActionMetadata;
import dev.hearth.startd.service.model.Task;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The params of the action and task effects (container-runtime.md §2.7, {@code action.rs}). */
public final class ActionParams {
  private ActionParams() {}

  /** The longest replay id: the SDK's default is {@code "<packageId>:<actionId>"}. */
  static final int MAX_REPLAY_ID = 256;

  public record Export(String id, ActionMetadata metadata) {
    public Export {
      Check.id("id", id);
      Check.present("metadata", metadata);
      Check.text("metadata.name", metadata.name());
      Check.text("metadata.description", metadata.description());
      Check.optText("metadata.warning", metadata.warning());
      Check.optText("metadata.group", metadata.group());
      if (metadata.visibility() instanceof ActionMetadata.Visibility.Disabled d) {
        Check.text("metadata.visibility.disabled", d.reason());
      }
    }
  }

  public record Clear(List<String> except) {
    public Clear {
      except = Check.ids("except", except);
    }
  }

  /** {@code packageId} absent: the caller's own action. */
  public record GetInput(@Nullable String packageId, String actionId, @Nullable JsonNode prefill) {
    public GetInput {
      Check.optPackageId("packageId", packageId);
      Check.id("actionId", actionId);
      prefill = prefill == null || prefill.isNull() ? null : prefill;
    }
  }

  public record Run(@Nullable String packageId, String actionId, @Nullable JsonNode input) {
    public Run {
      Check.optPackageId("packageId", packageId);
      Check.id("actionId", actionId);
      input = input == null || input.isNull() ? null : input;
    }
  }

  /** {@code when}: the SDK only knows {@code input-not-matches}. */
  public record When(@Nullable Boolean once, Task.Condition condition) {
    public When {
      Check.present("condition", condition);
    }
  }

  /**
   * {@code {kind: "partial", accept, set}}, or the legacy {@code {kind: "partial", value}}, which
   * means {@code accept: [value], set: value}.
   */
  public record Input(
      Task.InputKind kind,
      @Nullable List<JsonNode> accept,
      @Nullable JsonNode set,
      @Nullable JsonNode value) {
    public Input {
      Check.present("kind", kind);
      accept = accept == null ? null : Check.list("accept", accept);
      if (set == null && value == null) {
        throw new IllegalArgumentException("set is missing (or the legacy value)");
      }
    }

    Task.Input normal() {
      JsonNode legacy = value;
      List<JsonNode> patterns =
          accept != null
              ? accept
              : legacy == null ? List.of() : legacy.isArray() ? list(legacy) : List.of(legacy);
      return new Task.Input(kind, patterns, set != null ? set : legacy);
    }

    private static List<JsonNode> list(JsonNode array) {
      var out = new java.util.ArrayList<JsonNode>();
      array.forEach(out::add);
      return out;
    }
  }

  public record CreateTask(
      String replayId,
      String packageId,
      String actionId,
      Task.Severity severity,
      @Nullable String reason,
      @Nullable When when,
      @Nullable Input input) {
    public CreateTask {
      Check.text("replayId", replayId);
      if (replayId.isEmpty() || replayId.length() > MAX_REPLAY_ID) {
        throw new IllegalArgumentException(
            "replayId must have 1 to " + MAX_REPLAY_ID + " characters");
      }
      Check.packageId("packageId", packageId);
      Check.id("actionId", actionId);
      Check.present("severity", severity);
      Check.optText("reason", reason);
    }

    /** The task as stored: the input in its normal form. */
    public Task task() {
      return new Task(
          packageId,
          actionId,
          severity,
          reason,
          when == null ? null : new Task.When(Boolean.TRUE.equals(when.once()), when.condition()),
          input == null ? null : input.normal());
    }
  }

  /** {@code only} given: remove those; else remove all but {@code except}. */
  public record ClearTasks(@Nullable List<String> only, @Nullable List<String> except) {
    public ClearTasks {
      only = only == null ? null : Check.texts("only", only);
      except = except == null ? null : Check.texts("except", except);
    }

    boolean removes(String replayId) {
      return only != null ? only.contains(replayId) : except == null || !except.contains(replayId);
    }
  }
}
