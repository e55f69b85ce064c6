package dev.hearth.patchdb.json;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * One RFC 6902 operation. Only the three kinds the StartOS clients apply exist: {@code add}, {@code
 * remove} and {@code replace} (patchdb.md §3).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PatchOp.Add.class, name = "add"),
  @JsonSubTypes.Type(value = PatchOp.Remove.class, name = "remove"),
  @JsonSubTypes.Type(value = PatchOp.Replace.class, name = "replace")
})
public sealed interface PatchOp {
  JsonPointer path();

  /** Sets a member, inserts into an array ({@code -} appends), or replaces the whole document. */
  record Add(JsonPointer path, Json value) implements PatchOp {
    public Add {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Removes an existing member or element. */
  record Remove(JsonPointer path) implements PatchOp {
    public Remove {
      Objects.requireNonNull(path, "path");
    }
  }

  /** Replaces an existing value. */
  record Replace(JsonPointer path, Json value) implements PatchOp {
    public Replace {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }
  }
}
