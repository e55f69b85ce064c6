package dev.hearth.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code package.action.get-input} returns for an action that takes input (lifecycle.md §3.6,
 * §3.7): the event id the run must carry, the form's spec, and its current value.
 */
record ActionForm(String eventId, JsonNode spec, @Nullable JsonNode value) {
  static final String MASK = "********";

  /**
   * The input a run sends when the user gives none: the current value as it is. A form with no
   * value yet is an empty object, the shape every form's value has.
   */
  JsonNode input() {
    return value == null || value.isNull() ? JsonNodeFactory.instance.objectNode() : value;
  }

  /** {@link #input()} with every field the spec marks {@code masked} hidden, to print it. */
  JsonNode printableInput() {
    return masked(input(), spec);
  }

  /** A copy of {@code value} with its masked text fields, at any depth, replaced by a mask. */
  private static JsonNode masked(JsonNode value, JsonNode spec) {
    if (!value.isObject() || !spec.isObject()) {
      return value;
    }
    ObjectNode out = value.deepCopy();
    for (Map.Entry<String, JsonNode> field : spec.properties()) {
      JsonNode v = out.get(field.getKey());
      if (v == null || v.isNull()) {
        continue;
      }
      out.set(field.getKey(), maskedField(v, field.getValue()));
    }
    return out;
  }

  private static JsonNode maskedField(JsonNode v, JsonNode valueSpec) {
    return switch (valueSpec.path("type").asText()) {
      case "text" -> valueSpec.path("masked").asBoolean() ? mask() : v;
      case "object" -> masked(v, valueSpec.path("spec"));
      case "union" -> {
        JsonNode variant =
            valueSpec.path("variants").path(v.path("selection").asText()).path("spec");
        if (!v.isObject() || !v.has("value")) {
          yield v;
        }
        ObjectNode copy = v.deepCopy();
        copy.set("value", masked(v.get("value"), variant));
        yield copy;
      }
      case "list" -> {
        if (!v.isArray()) {
          yield v;
        }
        JsonNode item = valueSpec.path("spec");
        ArrayNode copy = JsonNodeFactory.instance.arrayNode();
        for (JsonNode element : v) {
          copy.add(element.isNull() ? NullNode.instance : maskedField(element, item));
        }
        yield copy;
      }
      default -> v;
    };
  }

  private static JsonNode mask() {
    return JsonNodeFactory.instance.textNode(MASK);
  }
}
