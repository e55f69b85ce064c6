package dev.hearth.patchdb.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Converts between {@link Json} and text, and between {@link Json} and Java values (records) with
 * Jackson. {@link #module()} teaches any {@link ObjectMapper} the {@link Json} types, so records
 * may hold {@link Json} fields and {@code convertValue} works both ways.
 *
 * <p>Thread-safe once built.
 */
public final class JsonCodec {
  private static final JsonCodec STANDARD = new JsonCodec(new ObjectMapper());

  private final ObjectMapper mapper;

  /** A codec over a copy of {@code mapper} with {@link #module()} registered. */
  public JsonCodec(ObjectMapper mapper) {
    this.mapper = mapper.copy().registerModule(module());
  }

  /** A codec over a plain {@link ObjectMapper}. */
  public static JsonCodec standard() {
    return STANDARD;
  }

  /** The mapper this codec uses; it knows the {@link Json} types. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** Serializers and deserializers for the {@link Json} types. */
  public static Module module() {
    var module = new SimpleModule("hearth-json");
    var serializer =
        new JsonSerializer<Json>() {
          @Override
          public void serialize(Json value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            write(value, gen);
          }
        };
    for (Class<? extends Json> type :
        List.of(
            JsonNull.class,
            JsonBool.class,
            JsonNumber.class,
            JsonString.class,
            JsonArray.class,
            JsonObject.class)) {
      module.addSerializer(type, serializer);
    }
    module.addSerializer(Json.class, serializer);
    module.addDeserializer(Json.class, new JsonValueDeserializer<>(Json.class));
    module.addDeserializer(JsonObject.class, new JsonValueDeserializer<>(JsonObject.class));
    module.addDeserializer(JsonArray.class, new JsonValueDeserializer<>(JsonArray.class));
    module.addDeserializer(JsonString.class, new JsonValueDeserializer<>(JsonString.class));
    module.addDeserializer(JsonNumber.class, new JsonValueDeserializer<>(JsonNumber.class));
    module.addDeserializer(JsonBool.class, new JsonValueDeserializer<>(JsonBool.class));
    module.addDeserializer(JsonNull.class, new JsonValueDeserializer<>(JsonNull.class));
    return module;
  }

  /**
   * @throws StartException (DESERIALIZATION) if the text is not one JSON value
   */
  public Json parse(String text) {
    try {
      return mapper.readValue(text, Json.class);
    } catch (IOException e) {
      throw new StartException(ErrorKind.DESERIALIZATION, "invalid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * @throws StartException (DESERIALIZATION) if the bytes are not one JSON value in UTF-8
   */
  public Json parse(byte[] utf8) {
    try {
      return mapper.readValue(utf8, Json.class);
    } catch (IOException e) {
      throw new StartException(ErrorKind.DESERIALIZATION, "invalid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one JSON value from a stream, which is left open.
   *
   * @throws IOException if reading fails or the content is not JSON
   */
  public Json parse(InputStream in) throws IOException {
    try (JsonParser parser = mapper.createParser(in)) {
      return mapper.readValue(parser, Json.class);
    }
  }

  public byte[] bytes(Json value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
  }

  public String text(Json value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
  }

  /**
   * The JSON text of a patch as the journal stores it ({@link JsonPatchCodec}: the text data
   * binding gives, without building its deserializers).
   *
   * @throws IOException if the generator refuses it (its limits, such as nesting depth)
   */
  public byte[] patchBytes(JsonPatch patch) throws IOException {
    return JsonPatchCodec.write(mapper.getFactory(), patch);
  }

  /**
   * The patch that {@code length} bytes from {@code offset} hold, and nothing else.
   *
   * @throws IOException if they are not a patch of add, remove and replace operations
   */
  public JsonPatch parsePatch(byte[] bytes, int offset, int length) throws IOException {
    return JsonPatchCodec.read(mapper.getFactory(), bytes, offset, length);
  }

  /** Writes the JSON text of {@code value} to a stream, which is left open. */
  public void write(Json value, OutputStream out) throws IOException {
    try (JsonGenerator gen = mapper.createGenerator(out)) {
      write(value, gen);
    }
  }

  /**
   * The JSON form of a Java value, such as a record.
   *
   * @throws StartException (SERIALIZATION) if Jackson cannot serialize it
   */
  public Json toJson(Object value) {
    if (value instanceof Json json) {
      return json;
    }
    try {
      return mapper.convertValue(value, Json.class);
    } catch (IllegalArgumentException e) {
      throw new StartException(
          ErrorKind.SERIALIZATION,
          "cannot convert " + value.getClass().getSimpleName() + " to JSON: " + e.getMessage(),
          e);
    }
  }

  /**
   * A Java value read from JSON.
   *
   * @throws StartException (DESERIALIZATION) if the JSON does not fit the type
   */
  public <T> T fromJson(Json json, JavaType type) {
    try {
      return mapper.convertValue(json, type);
    } catch (IllegalArgumentException e) {
      throw new StartException(
          ErrorKind.DESERIALIZATION,
          "JSON does not fit " + type.getTypeName() + ": " + e.getMessage(),
          e);
    }
  }

  static void write(Json value, JsonGenerator gen) throws IOException {
    switch (value) {
      case JsonNull _ -> gen.writeNull();
      case JsonBool b -> gen.writeBoolean(b.value());
      case JsonNumber(BigDecimal n) -> {
        if (n.scale() == 0) {
          gen.writeNumber(n.unscaledValue()); // an integer travels as an integer token
        } else {
          gen.writeNumber(n);
        }
      }
      case JsonString(String s) -> gen.writeString(s);
      case JsonArray a -> {
        gen.writeStartArray(a, a.size());
        for (Json item : a.items()) {
          write(item, gen);
        }
        gen.writeEndArray();
      }
      case JsonObject o -> {
        gen.writeStartObject(o, o.size());
        for (var member : o.members().entrySet()) {
          gen.writeFieldName(member.getKey());
          write(member.getValue(), gen);
        }
        gen.writeEndObject();
      }
    }
  }

  /** Reads any JSON value, then checks it is of the requested kind. */
  private static final class JsonValueDeserializer<T extends Json> extends JsonDeserializer<T> {
    private final Class<T> type;

    JsonValueDeserializer(Class<T> type) {
      this.type = type;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Json value = read(p, ctxt);
      if (!type.isInstance(value)) {
        return type.cast(ctxt.handleUnexpectedToken(type, p));
      }
      return type.cast(value);
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) {
      // A JSON null in a Json-typed field is JsonNull, never a Java null.
      if (type.isInstance(JsonNull.INSTANCE)) {
        return type.cast(JsonNull.INSTANCE);
      }
      return null;
    }
  }

  /**
   * Reads the value at the parser's token; {@code ctxt} may be null outside data binding, where an
   * unexpected token is a parse error.
   */
  static Json read(JsonParser p, @Nullable DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    if (token == null) {
      token = p.nextToken();
    }
    if (token == JsonToken.FIELD_NAME) {
      // Jackson hands a creator-built object over positioned at its first field.
      return readObjectFields(p, ctxt);
    }
    return switch (token) {
      case START_OBJECT -> {
        p.nextToken();
        yield readObjectFields(p, ctxt);
      }
      case START_ARRAY -> {
        var items = new ArrayList<Json>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p, ctxt));
        }
        yield JsonArray.wrap(items);
      }
      case VALUE_STRING -> new JsonString(p.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> readNumber(p);
      case VALUE_TRUE -> JsonBool.TRUE;
      case VALUE_FALSE -> JsonBool.FALSE;
      case VALUE_NULL -> JsonNull.INSTANCE;
      case VALUE_EMBEDDED_OBJECT -> {
        Object embedded = p.getEmbeddedObject();
        if (embedded instanceof Json json) {
          yield json;
        }
        yield unexpected(p, ctxt);
      }
      default -> unexpected(p, ctxt);
    };
  }

  private static Json unexpected(JsonParser p, @Nullable DeserializationContext ctxt)
      throws IOException {
    if (ctxt == null) {
      throw new JsonParseException(p, "expected a JSON value, found " + p.currentToken());
    }
    return (Json) ctxt.handleUnexpectedToken(Json.class, p);
  }

  private static JsonObject readObjectFields(JsonParser p, @Nullable DeserializationContext ctxt)
      throws IOException {
    var members = new LinkedHashMap<String, Json>();
    for (JsonToken t = p.currentToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String key = p.currentName();
      p.nextToken();
      members.put(key, read(p, ctxt));
    }
    return JsonObject.wrap(members);
  }

  private static JsonNumber readNumber(JsonParser p) throws IOException {
    // Exact for text; a double held by a token buffer (from a record) keeps its shortest form.
    Number n = p.getNumberValueExact();
    BigDecimal value =
        switch (n) {
          case BigDecimal d -> d;
          case BigInteger i -> new BigDecimal(i);
          case Double d -> {
            if (!Double.isFinite(d)) {
              throw new StartException(ErrorKind.SERIALIZATION, "JSON has no number " + d);
            }
            yield BigDecimal.valueOf(d);
          }
          case Float f -> new BigDecimal(Float.toString(f));
          default -> BigDecimal.valueOf(n.longValue());
        };
    return new JsonNumber(value);
  }
}
