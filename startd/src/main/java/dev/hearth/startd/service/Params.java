package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reading an effect's params, which come from an untrusted package: every read checks the type and
 * says what was wrong. Unknown keys are ignored (container-runtime.md §2.5).
 */
final class Params {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final int MAX_STRING = 64 * 1024;

  private final JsonNode node;
  private final String method;

  Params(JsonNode node, String method) {
    this.node = node;
    this.method = method;
  }

  StartException bad(String why) {
    return new StartException(ErrorKind.DESERIALIZATION, method + ": " + why);
  }

  JsonNode raw() {
    return node;
  }

  boolean has(String key) {
    return node.hasNonNull(key);
  }

  String string(String key) {
    String s = optString(key);
    if (s == null) {
      throw bad("missing string " + key);
    }
    return s;
  }

  @Nullable String optString(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw bad(key + " must be a string");
    }
    if (v.asText().length() > MAX_STRING) {
      throw bad(key + " is too long");
    }
    return v.asText();
  }

  /** An identifier: action, host, health check, interface, volume or image id. */
  String id(String key) {
    String s = string(key);
    if (!ID.matcher(s).matches()) {
      throw bad(key + " is not a valid id: \"" + s + "\"");
    }
    return s;
  }

  /** A package id, or the caller's own when absent. */
  String packageId(String key, String self) {
    String s = optString(key);
    return s == null ? self : DataDirs.checkId(s);
  }

  int port(String key) {
    JsonNode v = node.get(key);
    if (v == null
        || !v.canConvertToInt()
        || !v.isIntegralNumber()
        || v.asInt() < 1
        || v.asInt() > 65535) {
      throw bad(key + " must be a port number");
    }
    return v.asInt();
  }

  /** A non-negative int (an id or a count). */
  int uint(String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
      throw bad(key + " must be a whole number");
    }
    return v.asInt();
  }

  @Nullable Integer optPort(String key) {
    return has(key) ? port(key) : null;
  }

  boolean bool(String key, boolean otherwise) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (!v.isBoolean()) {
      throw bad(key + " must be true or false");
    }
    return v.asBoolean();
  }

  @Nullable Long callback() {
    JsonNode v = node.get("callback");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw bad("callback must be a number");
    }
    return v.asLong();
  }

  JsonNode object(String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isObject()) {
      throw bad(key + " must be an object");
    }
    return v;
  }

  List<String> strings(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw bad(key + " must be a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw bad(key + " must hold strings");
      }
      out.add(e.asText());
    }
    return out;
  }

  List<Long> longs(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw bad(key + " must be a list");
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isIntegralNumber()) {
        throw bad(key + " must hold numbers");
      }
      out.add(e.asLong());
    }
    return out;
  }

  /** One of {@code allowed}. */
  String oneOf(String key, String... allowed) {
    String s = string(key);
    for (String a : allowed) {
      if (a.equals(s)) {
        return s;
      }
    }
    throw bad(key + " must be one of " + String.join(", ", allowed) + ", not \"" + s + "\"");
  }
}
