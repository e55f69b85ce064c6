package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.jsonrpc.JsonTree;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Prints command results as JSON or as a table. */
public final class Output {
  private Output() {}

  /** Holds the mapper for values that are not trees, made at its first use (see {@link #json}). */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /**
   * Prints {@code value} as JSON when the command line asks for JSON (or gives no format and {@code
   * fallback} is JSON), else runs {@code human}, the command's own table or text.
   */
  public static void print(
      picocli.CommandLine.Model.CommandSpec spec,
      OutputFormat fallback,
      Object value,
      Runnable human) {
    if (GlobalOptions.of(spec).format(fallback) == OutputFormat.json) {
      json(System.out, value);
    } else {
      human.run();
    }
  }

  /**
   * The value as indented JSON: a tree without a mapper ({@link JsonTree}, the same text), any
   * other value bound by one.
   */
  public static void json(PrintStream out, Object value) {
    if (value instanceof JsonNode tree) {
      out.println(JsonTree.pretty(tree));
      return;
    }
    try {
      out.println(Mapper.JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows under a header, each column as wide as its widest cell. */
  public static void table(PrintStream out, List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size() && i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      var line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = i < row.size() ? row.get(i) : "";
        line.append(cell);
        if (i + 1 < widths.length) {
          // Padded by hand: a column whose cells are all empty has width 0, which "%-0s" refuses.
          line.repeat(' ', widths[i] - cell.length() + 2);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
