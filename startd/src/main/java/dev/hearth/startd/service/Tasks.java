package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.service.model.Task;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Task conditions (container-runtime.md §2.8): whether an action's current input matches a task's
 * {@code accept} patterns. Pure functions.
 */
public final class Tasks {
  private Tasks() {}

  /** Every key of {@code partial} has the same value in {@code value}, recursively. */
  public static boolean matches(JsonNode partial, JsonNode value) {
    if (partial.isObject()) {
      if (!value.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = partial.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode v = value.get(e.getKey());
        if (v == null || !matches(e.getValue(), v)) {
          return false;
        }
      }
      return true;
    }
    return partial.equals(value);
  }

  /**
   * Some key both sides have differs; arrays conflict when one element conflicts with every element
   * of the other.
   */
  public static boolean conflicts(JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other != null && conflicts(e.getValue(), other)) {
          return true;
        }
      }
      return false;
    }
    if (a.isArray() && b.isArray()) {
      return oneConflictsWithAll(a, b) || oneConflictsWithAll(b, a);
    }
    return !a.equals(b);
  }

  private static boolean oneConflictsWithAll(JsonNode a, JsonNode b) {
    {
      for (JsonNode x : a) {
        boolean all = true;
        for (JsonNode y : b) {
          if (!conflicts(x, y)) {
            all = false;
            break;
          }
        }
        if (all && !b.isEmpty()) {
          return true;
        }
      }
      return false;
    }
  }

  public static boolean matchesAny(JsonNode accept, JsonNode value) {
    for (JsonNode pattern : accept) {
      if (matches(pattern, value)) {
        return true;
      }
    }
    return false;
  }

  public static boolean conflictsAll(JsonNode accept, JsonNode value) {
    if (accept.isEmpty()) {
      return false;
    }
    for (JsonNode pattern : accept) {
      if (!conflicts(pattern, value)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} matches one of {@code accept}. */
  public static boolean matchesAny(List<JsonNode> accept, JsonNode value) {
    return accept.stream().anyMatch(pattern -> matches(pattern, value));
  }

  /** The {@code accept} list of a task, as a JSON array. */
  public static JsonNode accept(Task task) {
    var out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    task.accept().forEach(out::add);
    return out;
  }

  /** The {@code accept} list of a task's input, accepting the legacy {@code {kind, value}} form. */
  static JsonNode accept(JsonNode task) {
    JsonNode input = task.path("input");
    if (input.has("accept")) {
      return input.get("accept");
    }
    if (input.has("value")) {
      return input.get("value").isArray()
          ? input.get("value")
          : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
              .arrayNode()
              .add(input.get("value"));
    }
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
  }
}
