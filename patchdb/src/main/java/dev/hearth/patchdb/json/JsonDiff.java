package dev.hearth.patchdb.json;

import java.util.ArrayList;
import java.util.List;

/**
 * Computes a patch that turns one document into another, using only {@code add}, {@code remove} and
 * {@code replace} (patchdb.md §3). Subtrees that are the same object are skipped at once, so
 * diffing a document against an edited copy of itself costs only the edited paths.
 *
 * <p>Objects: removed keys, then changed keys (recursively), then new keys in their order. Arrays:
 * the common prefix and suffix are kept, the middle is diffed element by element and the surplus
 * added or removed, so one insertion or removal is one operation. Anything else that differs is
 * replaced.
 */
public final class JsonDiff {
  private JsonDiff() {}

  public static JsonPatch diff(Json from, Json to) {
    List<PatchOp> ops = new ArrayList<>();
    diff(from, to, JsonPointer.ROOT, ops);
    return ops.isEmpty() ? JsonPatch.EMPTY : new JsonPatch(ops);
  }

  private static void diff(Json from, Json to, JsonPointer path, List<PatchOp> ops) {
    if (from == to || from.equals(to)) {
      return;
    }
    if (from instanceof JsonObject a && to instanceof JsonObject b) {
      diffObjects(a, b, path, ops);
    } else if (from instanceof JsonArray a && to instanceof JsonArray b) {
      diffArrays(a, b, path, ops);
    } else {
      ops.add(new PatchOp.Replace(path, to));
    }
  }

  private static void diffObjects(JsonObject a, JsonObject b, JsonPointer path, List<PatchOp> ops) {
    for (var entry : a.members().entrySet()) {
      Json newValue = b.members().get(entry.getKey());
      if (newValue == null) {
        ops.add(new PatchOp.Remove(path.child(entry.getKey())));
      } else {
        diff(entry.getValue(), newValue, path.child(entry.getKey()), ops);
      }
    }
    for (var entry : b.members().entrySet()) {
      if (!a.has(entry.getKey())) {
        ops.add(new PatchOp.Add(path.child(entry.getKey()), entry.getValue()));
      }
    }
  }

  private static void diffArrays(JsonArray a, JsonArray b, JsonPointer path, List<PatchOp> ops) {
    int na = a.size();
    int nb = b.size();
    int prefix = 0;
    while (prefix < na && prefix < nb && same(a.get(prefix), b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < na - prefix
        && suffix < nb - prefix
        && same(a.get(na - 1 - suffix), b.get(nb - 1 - suffix))) {
      suffix++;
    }
    int midA = na - prefix - suffix;
    int midB = nb - prefix - suffix;
    int common = Math.min(midA, midB);
    for (int i = 0; i < common; i++) {
      diff(a.get(prefix + i), b.get(prefix + i), path.child(prefix + i), ops);
    }
    for (int i = common; i < midB; i++) {
      ops.add(new PatchOp.Add(path.child(prefix + i), b.get(prefix + i)));
    }
    for (int i = common; i < midA; i++) {
      ops.add(new PatchOp.Remove(path.child(prefix + common)));
    }
  }

  private static boolean same(Json x, Json y) {
    return x == y || x.equals(y);
  }
}
