package dev.hearth.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree without a mapper is the mapper's tree, and its text the mapper's text. */
class JsonTreeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> DOCUMENTS =
      List.of(
          "{}",
          "[]",
          "\"text with \\\"quotes\\\", a \\\\ and \\u00e9\\n\"",
          "null",
          "true",
          "{\"a\":1,\"b\":[1,2147483648,-9223372036854775808,123456789012345678901234567890],"
              + "\"c\":{\"d\":1.5,\"e\":-2.5e-7,\"f\":1E300},\"g\":[[],{}],\"h\":null,\"i\":false}",
          "{\"same\":1,\"same\":2}",
          "[\"ünïcødé ✓\", \"\\ud83d\\ude00\", 0, -0, 0.0]");

  @Test
  void parsingGivesTheTreeAMapperReads() throws IOException {
    for (String doc : DOCUMENTS) {
      JsonNode ours = JsonTree.parse(doc);
      JsonNode theirs = MAPPER.readTree(doc);
      assertThat(ours).as(doc).isEqualTo(theirs);
      assertThat(JsonTree.parse(doc.getBytes(StandardCharsets.UTF_8))).as(doc).isEqualTo(theirs);
      // Equal trees may still hold numbers of other types: compare each node's kind too.
      assertThat(kinds(ours)).as(doc).isEqualTo(kinds(theirs));
    }
  }

  @Test
  void writingGivesTheTextAMapperWrites() throws IOException {
    ObjectMapper indenting = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    for (String doc : DOCUMENTS) {
      JsonNode tree = MAPPER.readTree(doc);
      assertThat(JsonTree.bytes(tree)).as(doc).isEqualTo(MAPPER.writeValueAsBytes(tree));
      assertThat(JsonTree.pretty(tree)).as(doc).isEqualTo(indenting.writeValueAsString(tree));
    }
  }

  @Test
  void whatIsNotOneJsonValueIsRefused() {
    for (String bad : List.of("", "   ", "{\"a\":", "[1,2", "{} {}", "1 2", "{\"a\" 1}", "nul")) {
      assertThatThrownBy(() -> JsonTree.parse(bad)).as("%s", bad).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aHostileServersDeepNestingIsRefusedNotAStackOverflow() {
    // A server or registry answering with 100,000 nested arrays must get a clear error; the
    // parser's nesting limit stops it before the tree's recursion can exhaust a small stack.
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> JsonTree.parse(deep)).isInstanceOf(IOException.class);
  }

  private static String kinds(JsonNode node) {
    var out = new StringBuilder(node.getClass().getSimpleName());
    if (node.isContainerNode()) {
      out.append('(');
      node.forEach(child -> out.append(kinds(child)).append(','));
      out.append(')');
    }
    return out.toString();
  }
}
