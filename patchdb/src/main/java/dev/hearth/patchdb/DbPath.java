package dev.hearth.patchdb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.hearth.patchdb.json.JsonPointer;
import java.util.Objects;

/**
 * A typed place in the document: where a value lives and what Java type it reads as. Business code
 * builds its paths in one place per model and never formats pointer strings by hand.
 */
public record DbPath<T>(JsonPointer pointer, JavaType type) {
  public DbPath {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(type, "type");
  }

  public static <T> DbPath<T> of(JsonPointer pointer, Class<T> type) {
    return new DbPath<>(pointer, TypeFactory.defaultInstance().constructType(type));
  }

  public static <T> DbPath<T> of(JsonPointer pointer, TypeReference<T> type) {
    return new DbPath<>(pointer, TypeFactory.defaultInstance().constructType(type));
  }

  /** The value under key or index {@code token} of this one. */
  public <U> DbPath<U> child(String token, Class<U> childType) {
    return of(pointer.child(token), childType);
  }

  /** The value under key or index {@code token} of this one. */
  public <U> DbPath<U> child(String token, TypeReference<U> childType) {
    return of(pointer.child(token), childType);
  }
}
