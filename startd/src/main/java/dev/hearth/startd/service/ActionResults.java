package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Action results are always answered in version 1 (lifecycle.md §3.6). */
final class ActionResults {
  private ActionResults() {}

  static JsonNode upgrade(JsonNode result, ObjectMapper mapper) {
    if (result == null || result.isNull() || !result.isObject()) {
      return NullNode.instance;
    }
    if (result.path("version").asText().equals("1")) {
      return result;
    }
    // Legacy {version:"0", message, value, copyable, qr}.
    ObjectNode out = mapper.createObjectNode();
    out.put("version", "1");
    out.put("title", "Action Complete");
    out.set(
        "message", result.path("message").isTextual() ? result.get("message") : NullNode.instance);
    if (result.hasNonNull("value")) {
      ObjectNode single = out.putObject("result");
      single.put("type", "single");
      single.set("value", result.get("value"));
      single.put("copyable", result.path("copyable").asBoolean(false));
      single.put("qr", result.path("qr").asBoolean(false));
      single.put("masked", false);
    } else {
      out.putNull("result");
    }
    return out;
  }
}
