package dev.hearth.patchdb.json;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable JSON value. Trees share structure: changing a value deep in a document copies only
 * the objects and arrays on the path to it, so a snapshot costs nothing to keep and readers can
 * never see a write in progress.
 *
 * <p>{@link Object#toString()} is the compact JSON text. Equality is structural; numbers compare by
 * value ({@code 1} equals {@code 1.0}); object key order does not matter for equality.
 */
public sealed interface Json
    permits JsonNull, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject {

  /** The value at {@code pointer} below this one, if there is one. */
  default Optional<Json> at(JsonPointer pointer) {
    Json node = this;
    for (String token : pointer.tokens()) {
      Json next =
          switch (node) {
            case JsonObject o -> o.get(token).orElse(null);
            case JsonArray a -> {
              OptionalInt index = a.indexOf(token);
              yield index.isPresent() ? a.get(index.getAsInt()) : null;
            }
            default -> null;
          };
      if (next == null) {
        return Optional.empty();
      }
      node = next;
    }
    return Optional.of(node);
  }

  /** The value at {@code pointer}, or JSON null when there is none (how subscribers see it). */
  default Json atOrNull(JsonPointer pointer) {
    return at(pointer).orElse(JsonNull.INSTANCE);
  }

  /** Parses JSON text. */
  static Json parse(String text) {
    return JsonCodec.standard().parse(text);
  }

  static Json of(String value) {
    return new JsonString(value);
  }

  static Json of(long value) {
    return JsonNumber.of(value);
  }

  static Json of(boolean value) {
    return JsonBool.of(value);
  }
}
