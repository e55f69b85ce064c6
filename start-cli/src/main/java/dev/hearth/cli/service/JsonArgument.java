package dev.hearth.cli.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.connect.Connection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An option whose value is JSON: text that does not parse is a usage error, like a bad number. */
final class JsonArgument implements ITypeConverter<JsonNode> {
  @Override
  public JsonNode convert(String text) {
    try {
      JsonNode node = Connection.json().readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new TypeConversionException("expected JSON, got nothing");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new TypeConversionException("not JSON: " + e.getOriginalMessage());
    }
  }
}
