package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPointer;
import java.util.Optional;

/**
 * The whole document as of one revision. Immutable: holding one costs nothing, since later
 * revisions share its unchanged parts, and it never changes under the reader.
 */
public final class Snapshot {
  private final long revision;
  private final Json root;
  private final JsonCodec codec;

  Snapshot(long revision, Json root, JsonCodec codec) {
    this.revision = revision;
    this.root = root;
    this.codec = codec;
  }

  /** The revision this snapshot reflects; 0 for a new database. */
  public long revision() {
    return revision;
  }

  public Json root() {
    return root;
  }

  public Optional<Json> get(JsonPointer pointer) {
    return root.at(pointer);
  }

  /**
   * The value at {@code path} read as its type.
   *
   * @throws dev.hearth.error.StartException (DESERIALIZATION) if the JSON does not fit the type
   */
  public <T> Optional<T> get(DbPath<T> path) {
    return root.at(path.pointer()).map(json -> codec.fromJson(json, path.type()));
  }

  JsonCodec codec() {
    return codec;
  }

  /** The value at {@code pointer} with this revision. */
  public Dump dump(JsonPointer pointer) {
    return new Dump(revision, root.atOrNull(pointer));
  }
}
