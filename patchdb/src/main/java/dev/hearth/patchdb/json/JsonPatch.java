package dev.hearth.patchdb.json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.List;
import java.util.OptionalInt;

/**
 * An RFC 6902 patch: operations applied one after another. On the wire it is the JSON array of its
 * operations.
 */
public record JsonPatch(@JsonValue List<PatchOp> ops) {
  public static final JsonPatch EMPTY = new JsonPatch(List.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public JsonPatch {
    ops = List.copyOf(ops);
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /**
   * Applies every operation to {@code document}; the input is not changed.
   *
   * @throws StartException (DATABASE) naming the first operation that does not apply, such as a
   *     remove of a missing member; nothing is applied then
   */
  public Json apply(Json document) {
    Json result = document;
    for (int i = 0; i < ops.size(); i++) {
      PatchOp op = ops.get(i);
      try {
        result = apply(result, op);
      } catch (StartException e) {
        throw new StartException(
            ErrorKind.DATABASE,
            "patch operation " + i + " " + describe(op) + ": " + e.getMessage());
      }
    }
    return result;
  }

  private static String describe(PatchOp op) {
    String kind =
        switch (op) {
          case PatchOp.Add _ -> "add";
          case PatchOp.Remove _ -> "remove";
          case PatchOp.Replace _ -> "replace";
        };
    return "(" + kind + " \"" + op.path() + "\")";
  }

  /** Applies one operation to {@code document}, returning the new document. */
  public static Json apply(Json document, PatchOp op) {
    JsonPointer path = op.path();
    if (path.isRoot()) {
      return switch (op) {
        case PatchOp.Add(JsonPointer _, Json value) -> value;
        case PatchOp.Replace(JsonPointer _, Json value) -> value;
        case PatchOp.Remove _ -> throw failure("the document root cannot be removed");
      };
    }
    return applyBelow(document, op, 0);
  }

  private static Json applyBelow(Json node, PatchOp op, int depth) {
    List<String> tokens = op.path().tokens();
    String token = tokens.get(depth);
    boolean last = depth == tokens.size() - 1;
    return switch (node) {
      case JsonObject object -> {
        if (last) {
          yield applyToMember(object, token, op);
        }
        Json child = object.get(token).orElseThrow(() -> missing(op.path(), depth));
        yield object.with(token, applyBelow(child, op, depth + 1));
      }
      case JsonArray array -> {
        if (last) {
          yield applyToElement(array, token, op);
        }
        OptionalInt index = array.indexOf(token);
        if (index.isEmpty()) {
          throw missing(op.path(), depth);
        }
        int i = index.getAsInt();
        yield array.with(i, applyBelow(array.get(i), op, depth + 1));
      }
      default ->
          throw failure(
              new JsonPointer(tokens.subList(0, depth)) + " is not an object or an array");
    };
  }

  private static Json applyToMember(JsonObject object, String key, PatchOp op) {
    return switch (op) {
      case PatchOp.Add(JsonPointer _, Json value) -> object.with(key, value);
      case PatchOp.Replace(JsonPointer path, Json value) -> {
        if (!object.has(key)) {
          throw failure(path + " does not exist");
        }
        yield object.with(key, value);
      }
      case PatchOp.Remove(JsonPointer path) -> {
        if (!object.has(key)) {
          throw failure(path + " does not exist");
        }
        yield object.without(key);
      }
    };
  }

  private static Json applyToElement(JsonArray array, String token, PatchOp op) {
    if (op instanceof PatchOp.Add(JsonPointer path, Json value)) {
      if (token.equals("-")) {
        return array.inserted(array.size(), value);
      }
      int i = JsonArray.parseIndex(token);
      if (i < 0 || i > array.size()) {
        throw failure(path + ": no index " + token + " in an array of " + array.size());
      }
      return array.inserted(i, value);
    }
    OptionalInt index = array.indexOf(token);
    if (index.isEmpty()) {
      throw failure(op.path() + ": no index " + token + " in an array of " + array.size());
    }
    return switch (op) {
      case PatchOp.Replace(JsonPointer _, Json value) -> array.with(index.getAsInt(), value);
      case PatchOp.Remove _ -> array.without(index.getAsInt());
      case PatchOp.Add _ -> throw new IllegalStateException("handled above");
    };
  }

  private static StartException missing(JsonPointer path, int depth) {
    return failure(new JsonPointer(path.tokens().subList(0, depth + 1)) + " does not exist");
  }

  private static StartException failure(String message) {
    return new StartException(ErrorKind.DATABASE, message);
  }
}
