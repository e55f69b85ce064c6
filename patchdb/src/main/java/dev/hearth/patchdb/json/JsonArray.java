package dev.hearth.patchdb.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;

/** An immutable JSON array. Every change returns a new array that shares the elements. */
public final class JsonArray implements Json, Iterable<Json> {
  public static final JsonArray EMPTY = new JsonArray(List.of());

  private final List<Json> items;

  private JsonArray(List<Json> items) {
    this.items = items;
  }

  public static JsonArray of(List<? extends Json> items) {
    return items.isEmpty() ? EMPTY : new JsonArray(List.copyOf(items));
  }

  public static JsonArray of(Json... items) {
    return of(List.of(items));
  }

  /** Takes ownership of a list the caller will not touch again (parsing builds these). */
  static JsonArray wrap(ArrayList<Json> items) {
    return items.isEmpty() ? EMPTY : new JsonArray(Collections.unmodifiableList(items));
  }

  public int size() {
    return items.size();
  }

  public Json get(int index) {
    return items.get(index);
  }

  /** The elements, unmodifiable. */
  public List<Json> items() {
    return items;
  }

  /**
   * The index a pointer token names in this array, if it is a valid RFC 6901 index ({@code 0} or no
   * leading zero) of an existing element.
   */
  public OptionalInt indexOf(String token) {
    int i = parseIndex(token);
    return i >= 0 && i < items.size() ? OptionalInt.of(i) : OptionalInt.empty();
  }

  /** A pointer token as an array index, or -1 when it is not one (RFC 6901: no leading zeros). */
  static int parseIndex(String token) {
    int n = token.length();
    if (n == 0 || n > 9 || (n > 1 && token.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < n; i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  public JsonArray with(int index, Json value) {
    if (items.get(index) == value) {
      return this;
    }
    var copy = new ArrayList<>(items);
    copy.set(index, value);
    return wrap(copy);
  }

  public JsonArray inserted(int index, Json value) {
    var copy = new ArrayList<Json>(items.size() + 1);
    copy.addAll(items);
    copy.add(index, value);
    return wrap(copy);
  }

  public JsonArray without(int index) {
    var copy = new ArrayList<>(items);
    copy.remove(index);
    return wrap(copy);
  }

  @Override
  public Iterator<Json> iterator() {
    return items.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof JsonArray a && items.equals(a.items));
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }

  @Override
  public String toString() {
    return JsonCodec.standard().text(this);
  }
}
