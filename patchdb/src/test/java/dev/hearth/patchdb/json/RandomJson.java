package dev.hearth.patchdb.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded random documents and random edits of them, for property tests. Keys come from a small pool
 * (including ones that need pointer escaping and ones that look like array indexes), so that edits
 * collide with existing structure often.
 */
public final class RandomJson {
  private static final String[] KEYS = {"a", "b", "c", "0", "1", "x/y", "t~z", "", "long-key"};

  private final RandomGenerator random;

  public RandomJson(RandomGenerator random) {
    this.random = random;
  }

  public Json document() {
    return value(4);
  }

  public Json value(int depth) {
    int kind = random.nextInt(depth <= 0 ? 4 : 7);
    return switch (kind) {
      case 0 -> JsonNull.INSTANCE;
      case 1 -> JsonBool.of(random.nextBoolean());
      case 2 ->
          random.nextBoolean()
              ? JsonNumber.of(random.nextInt(-5, 100))
              : JsonNumber.of(random.nextInt(1000) / 8.0);
      case 3 -> new JsonString("s" + random.nextInt(20));
      case 4, 5 -> {
        var members = new LinkedHashMap<String, Json>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          members.put(KEYS[random.nextInt(KEYS.length)], value(depth - 1));
        }
        yield JsonObject.of(members);
      }
      default -> {
        var items = new ArrayList<Json>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          items.add(value(depth - 1));
        }
        yield JsonArray.of(items);
      }
    };
  }

  /** Every pointer to a value in the document, the root included. */
  public static List<JsonPointer> pointers(Json document) {
    List<JsonPointer> out = new ArrayList<>();
    collect(document, JsonPointer.ROOT, out);
    return out;
  }

  private static void collect(Json node, JsonPointer at, List<JsonPointer> out) {
    out.add(at);
    switch (node) {
      case JsonObject o -> o.members().forEach((k, v) -> collect(v, at.child(k), out));
      case JsonArray a -> {
        for (int i = 0; i < a.size(); i++) {
          collect(a.get(i), at.child(i), out);
        }
      }
      default -> {}
    }
  }

  /** A random valid operation on the document (an add, remove or replace somewhere in it). */
  public PatchOp operation(Json document) {
    List<JsonPointer> pointers = pointers(document);
    JsonPointer target = pointers.get(random.nextInt(pointers.size()));
    Json container = target.isRoot() ? null : document.at(target.parent()).orElseThrow();
    int choice = random.nextInt(3);
    if (target.isRoot() || choice == 0) {
      return new PatchOp.Replace(target, value(2));
    }
    if (choice == 1) {
      return new PatchOp.Remove(target);
    }
    // add: a new key next to the target, or an insertion at the target's index
    if (container instanceof JsonArray array) {
      int index = random.nextInt(array.size() + 1);
      String token = index == array.size() && random.nextBoolean() ? "-" : Integer.toString(index);
      return new PatchOp.Add(target.parent().child(token), value(2));
    }
    return new PatchOp.Add(target.parent().child(KEYS[random.nextInt(KEYS.length)]), value(2));
  }

  /** A random patch of up to {@code maxOps} operations that applies to the document in order. */
  public JsonPatch patch(Json document, int maxOps) {
    List<PatchOp> ops = new ArrayList<>();
    Json current = document;
    int n = 1 + random.nextInt(maxOps);
    for (int i = 0; i < n; i++) {
      PatchOp op = operation(current);
      current = JsonPatch.apply(current, op);
      ops.add(op);
    }
    return new JsonPatch(ops);
  }
}
