package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;

/**
 * Reads and writes manifests. Output is compact, like upstream's {@code serde_json::to_vec}, so
 * that a regenerated {@code manifest.json} has the same bytes as upstream's.
 */
public final class ManifestJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .disable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ManifestJson() {}

  /**
   * @throws StartException DESERIALIZATION naming the field and the rule it broke
   */
  public static Manifest parse(byte[] json) {
    try {
      return MAPPER.readValue(json, Manifest.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof StartException s) {
        throw s;
      }
      throw new StartException(
          ErrorKind.DESERIALIZATION, "invalid manifest: " + cause.getMessage(), e);
    } catch (JsonMappingException e) {
      String path = e.getPath().isEmpty() ? "" : " at " + e.getPathReference();
      throw new StartException(
          ErrorKind.DESERIALIZATION, "invalid manifest" + path + ": " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new StartException(
          ErrorKind.DESERIALIZATION, "invalid manifest JSON: " + e.getMessage(), e);
    }
  }

  public static Manifest parse(JsonNode json) {
    try {
      return parse(MAPPER.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new StartException(ErrorKind.SERIALIZATION, "cannot serialize manifest JSON", e);
    }
  }

  /** Compact JSON bytes, fields in upstream's order. */
  public static byte[] write(Manifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new StartException(
          ErrorKind.SERIALIZATION, "cannot serialize manifest: " + e.getOriginalMessage(), e);
    }
  }

  public static JsonNode toTree(Manifest manifest) {
    return MAPPER.valueToTree(manifest);
  }

  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }
}
