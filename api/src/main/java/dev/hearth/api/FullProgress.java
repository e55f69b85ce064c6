package dev.hearth.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a multi-phase job (lifecycle.md §2.1): {@code overall} and each phase's {@code
 * progress} is {@code null} (not started), a boolean (done or not), or {@code {done, total,
 * units}}. Immutable; {@code with…} returns a copy.
 */
public record FullProgress(JsonNode overall, List<Phase> phases) {
  public record Phase(String name, JsonNode progress) {
    public Phase {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(progress, "progress");
    }
  }

  public FullProgress {
    phases = List.copyOf(phases);
  }

  /** Phases not started yet. */
  public static FullProgress of(String... phaseNames) {
    List<Phase> phases = new ArrayList<>();
    for (String name : phaseNames) {
      phases.add(new Phase(name, NullNode.instance));
    }
    return new FullProgress(NullNode.instance, phases);
  }

  public static JsonNode counted(long done, @Nullable Long total, @Nullable String units) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("done", done);
    if (total == null) {
      o.putNull("total");
    } else {
      o.put("total", total);
    }
    if (units == null) {
      o.putNull("units");
    } else {
      o.put("units", units);
    }
    return o;
  }

  /**
   * A {@code Progress} from outside (a package's {@code set-init-progress}) as one phase's value:
   * null, a boolean, or {@code {done, total, units}} as they are; a whole {@code {overall, phases}}
   * by its overall value.
   *
   * @throws IllegalArgumentException if it is none of these
   */
  public static JsonNode phaseValue(JsonNode progress) {
    if (progress.isNull() || progress.isMissingNode() || progress.isBoolean()) {
      return progress.isMissingNode() ? NullNode.instance : progress;
    }
    if (!progress.isObject()) {
      throw new IllegalArgumentException("a progress is null, a boolean or an object");
    }
    if (progress.has("overall")) {
      if (!progress.path("phases").isArray()) {
        throw new IllegalArgumentException("a full progress has phases");
      }
      JsonNode overall = progress.get("overall");
      if (overall.has("overall")) {
        throw new IllegalArgumentException("a full progress's overall is not itself one");
      }
      return phaseValue(overall);
    }
    JsonNode done = progress.path("done");
    JsonNode total = progress.path("total");
    JsonNode units = progress.path("units");
    if (!done.canConvertToLong() || done.asLong() < 0) {
      throw new IllegalArgumentException("done is a count of at least 0");
    }
    if (!total.isMissingNode() && !total.isNull() && !total.canConvertToLong()) {
      throw new IllegalArgumentException("total is a count or null");
    }
    String unit = units.isMissingNode() || units.isNull() ? null : units.asText();
    if (unit != null && !(units.isTextual() && (unit.equals("bytes") || unit.equals("steps")))) {
      throw new IllegalArgumentException("units is \"bytes\", \"steps\" or null");
    }
    return counted(
        done.asLong(), total.isMissingNode() || total.isNull() ? null : total.asLong(), unit);
  }

  /** This progress with one phase set; the overall value becomes "in progress" (false). */
  public FullProgress withPhase(String name, JsonNode progress) {
    List<Phase> next = new ArrayList<>();
    for (Phase p : phases) {
      next.add(p.name().equals(name) ? new Phase(name, progress) : p);
    }
    return new FullProgress(BooleanNode.FALSE, next);
  }

  /** Every phase and the whole done. */
  public FullProgress completed() {
    List<Phase> next = new ArrayList<>();
    for (Phase p : phases) {
      next.add(new Phase(p.name(), BooleanNode.TRUE));
    }
    return new FullProgress(BooleanNode.TRUE, next);
  }

  @JsonIgnore
  public boolean isComplete() {
    return overall.isBoolean() && overall.asBoolean();
  }
}
