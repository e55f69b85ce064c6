package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import java.util.Objects;

/**
 * A whole value and the revision it reflects: {@code {"id": n, "value": ...}} (patchdb.md §1). A
 * subscription starts with one.
 */
public record Dump(long id, Json value) {
  public Dump {
    Objects.requireNonNull(value, "value");
  }
}
