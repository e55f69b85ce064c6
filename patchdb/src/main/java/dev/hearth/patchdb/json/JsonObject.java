package dev.hearth.patchdb.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable JSON object that keeps its keys in insertion order. Every change returns a new
 * object that shares the values; a new key goes last, a replaced key keeps its place.
 */
public final class JsonObject implements Json {
  public static final JsonObject EMPTY = new JsonObject(Map.of());

  private final Map<String, Json> members;

  private JsonObject(Map<String, Json> members) {
    this.members = members;
  }

  public static JsonObject of(Map<String, ? extends Json> members) {
    return members.isEmpty() ? EMPTY : wrap(new LinkedHashMap<>(members));
  }

  /** Takes ownership of a map the caller will not touch again (parsing builds these). */
  static JsonObject wrap(LinkedHashMap<String, Json> members) {
    return members.isEmpty() ? EMPTY : new JsonObject(Collections.unmodifiableMap(members));
  }

  public Optional<Json> get(String key) {
    return Optional.ofNullable(members.get(key));
  }

  public boolean has(String key) {
    return members.containsKey(key);
  }

  public int size() {
    return members.size();
  }

  public Set<String> keys() {
    return members.keySet();
  }

  /** The members in order, unmodifiable. */
  public Map<String, Json> members() {
    return members;
  }

  public JsonObject with(String key, Json value) {
    if (members.get(key) == value) {
      return this;
    }
    var copy = new LinkedHashMap<>(members);
    copy.put(key, value);
    return wrap(copy);
  }

  public JsonObject without(String key) {
    if (!members.containsKey(key)) {
      return this;
    }
    var copy = new LinkedHashMap<>(members);
    copy.remove(key);
    return wrap(copy);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof JsonObject other && members.equals(other.members));
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  @Override
  public String toString() {
    return JsonCodec.standard().text(this);
  }
}
