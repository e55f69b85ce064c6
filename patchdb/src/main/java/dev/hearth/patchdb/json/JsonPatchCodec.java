package dev.hearth.patchdb.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A patch as the journal stores it, read and written with Jackson's streaming parser and generator
 * alone. Data binding gives the same text and the same patches ({@code JsonPatchCodecTest}), but
 * its first use builds the polymorphic deserializer of {@link PatchOp} by reflection: about a tenth
 * of a set-up server's start to ready, spent before the first record of the journal is replayed.
 */
final class JsonPatchCodec {
  private JsonPatchCodec() {}

  /**
   * The JSON text of {@code patch}: its operations in order, each with {@code op} first, then
   * {@code path}, then {@code value} where the operation has one.
   *
   * @throws IOException if the generator refuses it (its limits, such as nesting depth)
   */
  static byte[] write(JsonFactory factory, JsonPatch patch) throws IOException {
    var out = new ByteArrayOutputStream(64);
    try (JsonGenerator gen = factory.createGenerator(out)) {
      gen.writeStartArray();
      for (PatchOp op : patch.ops()) {
        gen.writeStartObject();
        switch (op) {
          case PatchOp.Add(JsonPointer path, Json value) -> member(gen, "add", path, value);
          case PatchOp.Remove(JsonPointer path) -> member(gen, "remove", path, null);
          case PatchOp.Replace(JsonPointer path, Json value) -> member(gen, "replace", path, value);
        }
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    return out.toByteArray();
  }

  private static void member(JsonGenerator gen, String op, JsonPointer path, @Nullable Json value)
      throws IOException {
    gen.writeStringField("op", op);
    gen.writeStringField("path", path.toString());
    if (value != null) {
      gen.writeFieldName("value");
      JsonCodec.write(value, gen);
    }
  }

  /**
   * Reads the patch that {@code length} bytes from {@code offset} hold, and nothing else.
   *
   * @throws IOException if they are not JSON, not one array of operations, or an operation is not
   *     {@code add}, {@code remove} or {@code replace} with the members that kind needs (a member
   *     that is none of {@code op}, {@code path} and {@code value} is not one)
   */
  static JsonPatch read(JsonFactory factory, byte[] bytes, int offset, int length)
      throws IOException {
    try (JsonParser p = factory.createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new JsonParseException(p, "a patch is a JSON array of operations");
      }
      List<PatchOp> ops = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        ops.add(readOp(p, ops.size()));
      }
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "more after the patch's array");
      }
      return new JsonPatch(ops);
    }
  }

  private static PatchOp readOp(JsonParser p, int index) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new JsonParseException(p, "operation " + index + " is not a JSON object");
    }
    String op = null;
    String path = null;
    Json value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      switch (name) {
        case "op" -> op = text(p, token, index, name);
        case "path" -> path = text(p, token, index, name);
        case "value" -> value = JsonCodec.read(p, null);
        default -> throw new JsonParseException(p, "operation " + index + " has a member " + name);
      }
    }
    if (op == null || path == null) {
      throw new JsonParseException(p, "operation " + index + " needs both op and path");
    }
    JsonPointer pointer = pointer(p, path, index);
    return switch (op) {
      case "add", "replace" -> {
        if (value == null) {
          throw new JsonParseException(p, "operation " + index + " (" + op + ") has no value");
        }
        yield op.equals("add")
            ? new PatchOp.Add(pointer, value)
            : new PatchOp.Replace(pointer, value);
      }
      case "remove" -> {
        if (value != null) {
          throw new JsonParseException(p, "operation " + index + " (remove) must not have a value");
        }
        yield new PatchOp.Remove(pointer);
      }
      default -> throw new JsonParseException(p, "operation " + index + " is " + op);
    };
  }

  private static String text(JsonParser p, JsonToken token, int index, String name)
      throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw new JsonParseException(p, "operation " + index + "'s " + name + " is not a string");
    }
    return p.getText();
  }

  private static JsonPointer pointer(JsonParser p, String text, int index) throws IOException {
    try {
      return JsonPointer.parse(text);
    } catch (RuntimeException e) {
      throw new JsonParseException(p, "operation " + index + "'s path: " + e.getMessage());
    }
  }
}
