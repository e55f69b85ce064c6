package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonNull;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.PatchOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-roots a revision's patch for someone who sees only the value at one pointer (patchdb.md §4).
 *
 * <p>Operations below the pointer keep their effect with the prefix stripped. An operation on the
 * pointer itself becomes a {@code replace} of the whole value ({@code null} when it was removed).
 * An operation on an ancestor, or an insertion or removal in an array above the pointer (which may
 * shift what the pointer names), becomes one {@code replace} of the whole value as it is after the
 * revision; no other operation of that revision is needed then. Operations elsewhere are dropped;
 * if none is left, the subscriber is sent nothing.
 */
final class Scoping {
  private Scoping() {}

  static JsonPatch scope(JsonPatch patch, JsonPointer at, Json documentAfter) {
    if (at.isRoot()) {
      return patch;
    }
    List<PatchOp> scoped = new ArrayList<>();
    for (PatchOp op : patch.ops()) {
      JsonPointer path = op.path();
      if (path.startsWith(at) && path.size() > at.size()) {
        scoped.add(strip(op, at));
      } else if (path.equals(at)) {
        if (!(op instanceof PatchOp.Replace) && !isObject(documentAfter, at.parent())) {
          return wholeValue(documentAfter, at); // an array insertion or removal shifts elements
        }
        scoped.add(
            switch (op) {
              case PatchOp.Add(JsonPointer _, Json value) ->
                  new PatchOp.Replace(JsonPointer.ROOT, value);
              case PatchOp.Replace(JsonPointer _, Json value) ->
                  new PatchOp.Replace(JsonPointer.ROOT, value);
              case PatchOp.Remove _ -> new PatchOp.Replace(JsonPointer.ROOT, JsonNull.INSTANCE);
            });
      } else if (at.startsWith(path)) {
        return wholeValue(documentAfter, at);
      } else if (!(op instanceof PatchOp.Replace)
          && path.size() <= at.size()
          && at.startsWith(path.parent())
          && !isObject(documentAfter, path.parent())) {
        return wholeValue(documentAfter, at);
      }
    }
    return scoped.isEmpty() ? JsonPatch.EMPTY : new JsonPatch(scoped);
  }

  /**
   * Whether an operation may change the value at {@code at}; errs on the side of yes, so a watcher
   * re-reads and compares.
   */
  static boolean mayAffect(PatchOp op, JsonPointer at) {
    JsonPointer path = op.path();
    return path.startsWith(at) || path.isRoot() || at.startsWith(path.parent());
  }

  private static boolean isObject(Json document, JsonPointer pointer) {
    return document.at(pointer).orElse(null) instanceof JsonObject;
  }

  private static JsonPatch wholeValue(Json document, JsonPointer at) {
    return new JsonPatch(List.of(new PatchOp.Replace(JsonPointer.ROOT, document.atOrNull(at))));
  }

  private static PatchOp strip(PatchOp op, JsonPointer at) {
    JsonPointer relative = op.path().relativeTo(at);
    return switch (op) {
      case PatchOp.Add(JsonPointer _, Json value) -> new PatchOp.Add(relative, value);
      case PatchOp.Replace(JsonPointer _, Json value) -> new PatchOp.Replace(relative, value);
      case PatchOp.Remove _ -> new PatchOp.Remove(relative);
    };
  }
}
