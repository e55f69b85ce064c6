package dev.hearth.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON text to Jackson's tree and back with the streaming parser and generator alone, without an
 * {@code ObjectMapper}.
 *
 * <p>Why: a mapper costs a fresh JVM about 50 ms to build (its date format reads the locale data)
 * and more to introspect each record it binds, which is most of a short {@code start-cli} call. The
 * tree is the same one a mapper's {@code readTree} gives (ints, longs, big integers and doubles as
 * it makes them; a repeated key keeps its last value), and {@link #pretty} writes what a mapper
 * with {@code INDENT_OUTPUT} writes.
 */
public final class JsonTree {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTree() {}

  /**
   * The tree of one JSON value.
   *
   * @throws IOException the text is not one JSON value
   */
  public static JsonNode parse(byte[] json) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return whole(parser);
    }
  }

  /**
   * The tree of one JSON value.
   *
   * @throws IOException the text is not one JSON value
   */
  public static JsonNode parse(String json) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return whole(parser);
    }
  }

  private static JsonNode whole(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new IOException("no JSON value");
    }
    JsonNode value = value(parser, first);
    if (parser.nextToken() != null) {
      throw new IOException("more than one JSON value at " + parser.currentLocation());
    }
    return value;
  }

  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          object.set(name, value(parser, parser.nextToken()));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t));
        }
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IOException("unexpected " + token + " at " + parser.currentLocation());
    };
  }

  /** The value as compact JSON, UTF-8. */
  public static byte[] bytes(JsonNode value) {
    var out = new ByteArrayOutputStream();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return out.toByteArray();
  }

  /** The value as indented JSON, as a mapper with {@code INDENT_OUTPUT} writes it. */
  public static String pretty(JsonNode value) {
    var out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      generator.setPrettyPrinter(new DefaultPrettyPrinter());
      write(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return out.toString();
  }

  private static void write(JsonGenerator out, JsonNode value) throws IOException {
    switch (value.getNodeType()) {
      case OBJECT -> {
        out.writeStartObject();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
          out.writeFieldName(field.getKey());
          write(out, field.getValue());
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (JsonNode element : value) {
          write(out, element);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(value.textValue());
      case NUMBER -> {
        switch (value.numberType()) {
          case INT -> out.writeNumber(value.intValue());
          case LONG -> out.writeNumber(value.longValue());
          case BIG_INTEGER -> out.writeNumber(value.bigIntegerValue());
          case FLOAT -> out.writeNumber(value.floatValue());
          case BIG_DECIMAL -> out.writeNumber(value.decimalValue());
          default -> out.writeNumber(value.doubleValue());
        }
      }
      case BOOLEAN -> out.writeBoolean(value.booleanValue());
      case NULL -> out.writeNull();
      case BINARY -> out.writeBinary(value.binaryValue());
      default -> throw new IOException("not JSON: a " + value.getNodeType() + " node");
    }
  }
}
