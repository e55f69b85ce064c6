package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.PatchOp;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A transaction in progress: reads see its own writes, and nothing becomes visible to anyone else
 * until {@link PatchDb#mutate} commits it. If the function running it throws, nothing is applied.
 *
 * <p>Used only by the thread running the transaction, and only during it.
 */
public final class Tx {
  private final JsonCodec codec;
  private Json root;

  Tx(Json root, JsonCodec codec) {
    this.root = root;
    this.codec = codec;
  }

  /** The document as this transaction has it now. */
  public Json root() {
    return root;
  }

  public Optional<Json> get(JsonPointer pointer) {
    return root.at(pointer);
  }

  /**
   * @throws StartException (DESERIALIZATION) if the value does not fit the path's type
   */
  public <T> Optional<T> get(DbPath<T> path) {
    return root.at(path.pointer()).map(json -> codec.fromJson(json, path.type()));
  }

  /**
   * Sets the value at {@code pointer}: replaces it if present, else adds it. The parent must exist;
   * in an array, the index may be one past the end (or {@code -}) to append.
   *
   * @throws StartException (DATABASE) if the parent does not exist
   */
  public void put(JsonPointer pointer, Json value) {
    PatchOp op =
        root.at(pointer).isPresent()
            ? new PatchOp.Replace(pointer, value)
            : new PatchOp.Add(pointer, value);
    root = JsonPatch.apply(root, op);
  }

  /**
   * Sets the value at {@code path} to the JSON form of {@code value}.
   *
   * @throws StartException (SERIALIZATION) if the value cannot be converted, or (DATABASE) if the
   *     parent does not exist
   */
  public <T> void put(DbPath<T> path, T value) {
    put(path.pointer(), codec.toJson(value));
  }

  /**
   * Removes the value at {@code pointer} if there is one.
   *
   * @return whether there was one
   */
  public boolean remove(JsonPointer pointer) {
    if (pointer.isRoot() || root.at(pointer).isEmpty()) {
      return false;
    }
    root = JsonPatch.apply(root, new PatchOp.Remove(pointer));
    return true;
  }

  /**
   * Replaces the value at {@code path} with {@code change} applied to it.
   *
   * @return the new value
   * @throws StartException (NOT_FOUND) if there is no value there
   */
  public <T> T update(DbPath<T> path, UnaryOperator<T> change) {
    T current =
        get(path)
            .orElseThrow(
                () -> new StartException(ErrorKind.NOT_FOUND, "nothing at " + path.pointer()));
    T next = change.apply(current);
    put(path, next);
    return next;
  }

  /**
   * Applies an RFC 6902 patch.
   *
   * @throws StartException (DATABASE) naming the first operation that does not apply
   */
  public void apply(JsonPatch patch) {
    root = patch.apply(root);
  }

  /** The codec that converts between records and JSON for this database. */
  public JsonCodec codec() {
    return codec;
  }
}
