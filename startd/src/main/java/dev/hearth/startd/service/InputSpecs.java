package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Whether an action's input fits its form (lifecycle.md §3.6–3.7, SDK {@code inputSpecTypes.ts}).
 * Pure functions over the spec and the whole form object; every problem is a sentence that starts
 * with the field's path ({@code peers[2].port: must be at most 65535}).
 *
 * <p>The rules are the upstream UI's form validators, with one exception: a text pattern must be
 * found in the value, not match all of it, as the SDK's own check ({@code z.string().regex}) tests
 * it inside the service. Refusing what the service would accept is the worse mistake. An empty text
 * is no value; {@code step} is a UI hint. An {@code immutable} field's value is checked like any
 * other: whether it changed is for the caller, which knows the stored value. A field whose {@code
 * type} this version does not know is left to the package's own validator.
 */
final class InputSpecs {
  private InputSpecs() {}

  /** Every problem with {@code input}, in form order; empty when it fits. */
  static List<String> problems(JsonNode spec, JsonNode input) {
    List<String> out = new ArrayList<>();
    object(spec, input, "", out);
    return List.copyOf(out);
  }

  /** Throws {@link ErrorKind#INVALID_REQUEST} naming every problem, if there are any. */
  static void check(JsonNode spec, JsonNode input) {
    List<String> problems = problems(spec, input);
    if (!problems.isEmpty()) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "the input does not fit the form: " + String.join("; ", problems));
    }
  }

  private static void object(JsonNode spec, JsonNode value, String path, List<String> out) {
    if (!value.isObject()) {
      out.add((path.isEmpty() ? "input" : path) + ": must be an object");
      return;
    }
    for (Map.Entry<String, JsonNode> f : spec.properties()) {
      field(f.getValue(), value.path(f.getKey()), join(path, f.getKey()), out);
    }
    for (String key : keys(value)) {
      if (!spec.has(key)) {
        out.add(join(path, key) + ": not a field of this form");
      }
    }
  }

  private static void field(JsonNode spec, JsonNode v, String path, List<String> out) {
    String type = spec.path("type").asText();
    boolean required = spec.path("required").asBoolean(false);
    // an empty text is no value: the UI's Validators.required refuses it, and an optional field
    // left empty must not then fail its length or patterns
    boolean empty = v.isTextual() && v.asText().isEmpty() && TEXTUAL.contains(type);
    if (v.isNull() || v.isMissingNode() || empty) {
      boolean nullable =
          switch (type) {
            case "toggle", "select", "multiselect", "object", "list", "union" -> false;
            default -> !required;
          };
      if (!nullable) {
        out.add(path + ": required");
      }
      return;
    }
    String problem =
        switch (type) {
          case "text", "textarea" -> {
            if (!v.isTextual()) {
              yield "must be text";
            }
            text(spec, v.asText(), path, out);
            yield null;
          }
          case "number" -> number(spec, v);
          case "color" ->
              v.isTextual() && COLOR.matcher(v.asText()).matches()
                  ? null
                  : "must be a color written #rrggbb";
          case "datetime" -> datetime(spec, v);
          case "toggle", "triState" -> v.isBoolean() ? null : "must be true or false";
          case "select" -> option(spec, spec.path("values"), v);
          case "multiselect" -> options(spec, v);
          case "object" -> {
            object(spec.path("spec"), v, path, out);
            yield null;
          }
          case "list" -> list(spec, v, path, out);
          case "union" -> union(spec, v, path, out);
          case "file" ->
              v.path("path").isTextual()
                      && v.path("commitment").path("hash").isTextual()
                      && v.path("commitment").path("size").isNumber()
                  ? null
                  : "must be a file {path, commitment: {hash, size}}";
          default -> null; // "hidden" takes any JSON; an unknown type is the package's to judge
        };
    if (problem != null) {
      out.add(path + ": " + problem);
    }
  }

  private static final Set<String> TEXTUAL = Set.of("text", "textarea", "color", "datetime");
  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

  /** Length and patterns of a text, a textarea or a list's text item (lengths in UTF-16 units). */
  private static void text(JsonNode spec, String s, String path, List<String> out) {
    JsonNode min = spec.path("minLength");
    JsonNode max = spec.path("maxLength");
    if (min.isNumber() && s.length() < min.asDouble()) {
      out.add(path + ": must be at least " + count(min, "character"));
    }
    if (max.isNumber() && s.length() > max.asDouble()) {
      out.add(path + ": must be at most " + count(max, "character"));
    }
    if (s.isEmpty()) {
      return; // Validators.pattern ignores an empty value
    }
    for (JsonNode p : spec.path("patterns")) {
      String regex = p.path("regex").asText();
      if (JsRegex.find(regex, s) == Boolean.FALSE) {
        String why = p.path("description").asText("");
        out.add(
            path + ": does not match \"" + regex + "\"" + (why.isEmpty() ? "" : " (" + why + ")"));
      }
    }
  }

  private static @Nullable String number(JsonNode spec, JsonNode v) {
    if (!v.isNumber()) {
      return "must be a number";
    }
    BigDecimal n = v.decimalValue();
    if (spec.path("integer").asBoolean(false) && n.stripTrailingZeros().scale() > 0) {
      return "must be a whole number";
    }
    JsonNode min = spec.path("min");
    JsonNode max = spec.path("max");
    if (min.isNumber() && n.compareTo(min.decimalValue()) < 0) {
      return "must be at least " + plain(min);
    }
    if (max.isNumber() && n.compareTo(max.decimalValue()) > 0) {
      return "must be at most " + plain(max);
    }
    return null;
  }

  private static @Nullable String datetime(JsonNode spec, JsonNode v) {
    String mode = spec.path("inputmode").asText("datetime-local");
    LocalDateTime t = v.isTextual() ? moment(mode, v.asText()) : null;
    if (t == null) {
      return switch (mode) {
        case "date" -> "must be a date written yyyy-mm-dd";
        case "time" -> "must be a time written hh:mm";
        default -> "must be a date and time written yyyy-mm-ddThh:mm";
      };
    }
    // a bound that does not parse in this mode is the package's mistake: it bounds nothing
    LocalDateTime min = moment(mode, spec.path("min").asText(""));
    LocalDateTime max = moment(mode, spec.path("max").asText(""));
    if (min != null && t.isBefore(min)) {
      return "must not be before " + spec.path("min").asText();
    }
    if (max != null && t.isAfter(max)) {
      return "must not be after " + spec.path("max").asText();
    }
    return null;
  }

  /** A date, a time or a local date-time as the HTML input gives it; seconds are allowed. */
  private static @Nullable LocalDateTime moment(String mode, String s) {
    try {
      return switch (mode) {
        case "date" -> LocalDate.parse(s).atStartOfDay();
        case "time" -> LocalTime.parse(s).atDate(LocalDate.EPOCH);
        default -> LocalDateTime.parse(s);
      };
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** One enabled key of {@code choices} (a select's values, a union's variants). */
  private static @Nullable String option(JsonNode spec, JsonNode choices, JsonNode v) {
    if (!v.isTextual()) {
      return "must be one of " + String.join(", ", keys(choices));
    }
    String key = v.asText();
    if (!choices.isEmpty() && !choices.has(key)) { // no choices: the SDK accepts any string
      return "\"" + key + "\" is not one of " + String.join(", ", keys(choices));
    }
    for (JsonNode d : spec.path("disabled")) { // false, a reason (whole field) or disabled keys
      if (d.asText().equals(key)) {
        return "\"" + key + "\" is disabled";
      }
    }
    return null;
  }

  private static @Nullable String options(JsonNode spec, JsonNode v) {
    if (!v.isArray()) {
      return "must be a list of choices";
    }
    Set<JsonNode> seen = new HashSet<>();
    for (JsonNode e : v) {
      String problem = option(spec, spec.path("values"), e);
      if (problem != null) {
        return problem;
      }
      if (!seen.add(e)) {
        return "\"" + e.asText() + "\" is chosen twice";
      }
    }
    return size(spec, v, "choice");
  }

  private static @Nullable String list(JsonNode spec, JsonNode v, String path, List<String> out) {
    if (!v.isArray()) {
      return "must be a list";
    }
    String size = size(spec, v, "item");
    if (size != null) {
      out.add(path + ": " + size);
    }
    JsonNode item = spec.path("spec");
    boolean objects = item.path("type").asText().equals("object");
    for (int i = 0; i < v.size(); i++) {
      String at = path + "[" + i + "]";
      if (objects) {
        object(item.path("spec"), v.get(i), at, out);
      } else if (!v.get(i).isTextual()) {
        out.add(at + ": must be text");
      } else {
        text(item, v.get(i).asText(), at, out);
      }
    }
    for (int j = 1; objects && j < v.size(); j++) {
      for (int i = 0; i < j; i++) {
        String same = sameBy(item.path("uniqueBy"), v.get(i), v.get(j));
        if (same != null) {
          out.add(path + "[" + j + "]: has the same " + same + " as " + path + "[" + i + "]");
          break;
        }
      }
    }
    return null;
  }

  /**
   * The fields two list items share, by which they are duplicates, or null. A {@code uniqueBy} is
   * null (no rule), a field key, {@code {any: […]}} (any one rule) or {@code {all: […]}} (every
   * rule together). A null or missing field is never the same as another (SQL UNIQUE), so two items
   * may both leave an optional unique field empty.
   */
  private static @Nullable String sameBy(JsonNode uniqueBy, JsonNode a, JsonNode b) {
    if (uniqueBy.isTextual()) {
      JsonNode x = a.path(uniqueBy.asText());
      boolean empty = x.isNull() || x.isMissingNode();
      return !empty && x.equals(b.path(uniqueBy.asText())) ? uniqueBy.asText() : null;
    }
    if (uniqueBy.has("any")) {
      for (JsonNode rule : uniqueBy.get("any")) {
        String same = sameBy(rule, a, b);
        if (same != null) {
          return same;
        }
      }
      return null;
    }
    List<String> all = new ArrayList<>();
    for (JsonNode rule : uniqueBy.path("all")) {
      String same = sameBy(rule, a, b);
      if (same == null) {
        return null;
      }
      all.add(same);
    }
    return all.isEmpty() ? null : String.join(" and ", all);
  }

  /** {@code {selection, value}}, plus the UI's optional {@code other} (other variants' values). */
  private static @Nullable String union(JsonNode spec, JsonNode v, String path, List<String> out) {
    if (!v.isObject()) {
      return "must be an object {selection, value}";
    }
    JsonNode variants = spec.path("variants");
    String problem = option(spec, variants, v.path("selection"));
    if (problem != null) {
      out.add(path + ".selection: " + problem);
    } else {
      object(
          variants.path(v.get("selection").asText()).path("spec"),
          v.path("value"),
          path + ".value",
          out);
    }
    for (String key : keys(v)) {
      if (!Set.of("selection", "value", "other").contains(key)) {
        out.add(path + "." + key + ": not a field of this form");
      }
    }
    return null;
  }

  private static @Nullable String size(JsonNode spec, JsonNode v, String noun) {
    JsonNode min = spec.path("minLength");
    JsonNode max = spec.path("maxLength");
    if (min.isNumber() && v.size() < min.asDouble()) {
      return "must have at least " + count(min, noun);
    }
    if (max.isNumber() && v.size() > max.asDouble()) {
      return "must have at most " + count(max, noun);
    }
    return null;
  }

  private static String count(JsonNode n, String noun) {
    return plain(n) + " " + noun + (n.asDouble() == 1 ? "" : "s");
  }

  private static String plain(JsonNode n) {
    return n.decimalValue().stripTrailingZeros().toPlainString();
  }

  private static List<String> keys(JsonNode object) {
    return object.properties().stream().map(Map.Entry::getKey).toList();
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
