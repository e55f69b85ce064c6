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
