package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The jq subset that {@code s9pk edit manifest} accepts: filters joined by {@code |}, each either
 * {@code PATH = JSON} (set, creating objects on the way) or {@code del(PATH)}; a path is {@code .}
 * followed by {@code .key}, {@code ."key"}, {@code ["key"]} or {@code [index]} steps. For example
 * {@code .title = "Hello" | del(.donationUrl)}.
 */
public final class ManifestEdit {
  // Reads one value and stops: the rest of the expression follows it.
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String expr;
  private int pos;

  private ManifestEdit(String expr) {
    this.expr = expr;
  }

  /**
   * Applies the expression to a copy of the manifest's JSON.
   *
   * @throws StartException INVALID_REQUEST naming the position that does not parse, or
   *     DESERIALIZATION if the result is not a valid manifest
   */
  public static Manifest apply(Manifest manifest, String expression) {
    JsonNode json = ManifestJson.toTree(manifest).deepCopy();
    ManifestEdit edit = new ManifestEdit(expression);
    do {
      json = edit.filter(json);
      edit.skipSpace();
    } while (edit.eat('|'));
    edit.skipSpace();
    if (edit.pos != expression.length()) {
      throw edit.error("'|' or the end");
    }
    return ManifestJson.parse(json);
  }

  private JsonNode filter(JsonNode root) {
    skipSpace();
    if (expr.startsWith("del(", pos)) {
      pos += 4;
      List<Object> path = path();
      skipSpace();
      if (!eat(')')) {
        throw error("')'");
      }
      return delete(root, path);
    }
    List<Object> path = path();
    skipSpace();
    if (!eat('=')) {
      throw error("'='");
    }
    return set(root, path, value());
  }

  private List<Object> path() {
    skipSpace();
    if (!eat('.')) {
      throw error("a path starting with '.'");
    }
    List<Object> steps = new ArrayList<>();
    boolean first = true;
    while (pos < expr.length()) {
      char c = expr.charAt(pos);
      if (c == '[') {
        pos++;
        skipSpace();
        JsonNode key = value();
        skipSpace();
        if (!eat(']')) {
          throw error("']'");
        }
        steps.add(key.isIntegralNumber() ? (Object) key.intValue() : key.asText());
      } else if (c == '.' || (first && (Character.isLetter(c) || c == '_' || c == '"'))) {
        if (c == '.') {
          pos++;
        }
        if (pos < expr.length() && expr.charAt(pos) == '"') {
          steps.add(value().asText());
        } else {
          int start = pos;
          while (pos < expr.length()
              && (Character.isLetterOrDigit(expr.charAt(pos)) || expr.charAt(pos) == '_')) {
            pos++;
          }
          if (start == pos) {
            throw error("a key");
          }
          steps.add(expr.substring(start, pos));
        }
      } else {
        break;
      }
      first = false;
    }
    return steps;
  }

  /** One JSON value read in place, so strings may contain '|' and ')'. */
  private JsonNode value() {
    skipSpace();
    try (JsonParser p = MAPPER.getFactory().createParser(expr.substring(pos))) {
      JsonNode v = MAPPER.readTree(p);
      if (v == null) {
        throw error("a JSON value");
      }
      pos += (int) p.currentLocation().getCharOffset();
      return v;
    } catch (IOException e) {
      throw error("a JSON value");
    }
  }

  private static JsonNode set(JsonNode root, List<Object> path, JsonNode value) {
    if (path.isEmpty()) {
      return value;
    }
    JsonNode node = root;
    for (int i = 0; i < path.size() - 1; i++) {
      JsonNode next = child(node, path.get(i));
      if (next == null || next.isNull()) {
        next = JsonNodeFactory.instance.objectNode();
        put(node, path.get(i), next);
      }
      node = next;
    }
    put(node, path.getLast(), value);
    return root;
  }

  private static JsonNode delete(JsonNode root, List<Object> path) {
    JsonNode node = root;
    for (int i = 0; i < path.size() - 1 && node != null; i++) {
      node = child(node, path.get(i));
    }
    if (node instanceof ObjectNode o && path.getLast() instanceof String k) {
      o.remove(k);
    } else if (node instanceof ArrayNode a && path.getLast() instanceof Integer i) {
      a.remove(i);
    }
    return root;
  }

  private static JsonNode child(JsonNode node, Object step) {
    return step instanceof Integer i ? node.get(i) : node.get((String) step);
  }

  private static void put(JsonNode node, Object step, JsonNode value) {
    if (node instanceof ObjectNode o && step instanceof String k) {
      o.set(k, value);
    } else if (node instanceof ArrayNode a && step instanceof Integer i && i >= 0 && i < a.size()) {
      a.set(i, value);
    } else {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "cannot set " + step + " on a JSON " + node.getNodeType());
    }
  }

  private void skipSpace() {
    while (pos < expr.length() && Character.isWhitespace(expr.charAt(pos))) {
      pos++;
    }
  }

  private boolean eat(char c) {
    if (pos < expr.length() && expr.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private StartException error(String expected) {
    return new StartException(
        ErrorKind.INVALID_REQUEST,
        "manifest expression: expected "
            + expected
            + " at position "
            + pos
            + " of \""
            + expr
            + "\"");
  }
}
