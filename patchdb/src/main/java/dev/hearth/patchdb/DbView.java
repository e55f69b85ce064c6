package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import java.util.Optional;

/**
 * Read access to one subtree of a database. Every pointer given to a view is relative to its root,
 * and JSON pointers cannot point upwards, so nothing outside the root can be read, dumped or
 * streamed through it. Hand client-facing code a view of the public root only.
 */
public final class DbView {
  private final PatchDb db;
  private final JsonPointer root;

  DbView(PatchDb db, JsonPointer root) {
    this.db = db;
    this.root = root;
  }

  /** The root of this view, from the document root. */
  public JsonPointer root() {
    return root;
  }

  /** The newest durable revision of the whole database. */
  public long sequence() {
    return db.sequence();
  }

  public Optional<Json> get(JsonPointer relative) {
    return db.snapshot().get(root.resolve(relative));
  }

  /** The value at {@code relative} (JSON null if absent) and the revision it reflects. */
  public Dump dump(JsonPointer relative) {
    return db.snapshot().dump(root.resolve(relative));
  }

  /** A subscription to the value at {@code relative}; it reports that relative pointer. */
  public Subscription subscribe(JsonPointer relative) {
    return db.subscribeAbsolute(root.resolve(relative), relative);
  }

  public Watch watch(JsonPointer relative) {
    return db.watch(root.resolve(relative));
  }
}
