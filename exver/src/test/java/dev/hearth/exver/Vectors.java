package dev.hearth.exver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Reads the tab-separated spec vectors under {@code src/test/resources/dev/hearth/exver}. */
final class Vectors {
  private Vectors() {}

  static Stream<Arguments> read(String name) {
    try (var in =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(Vectors.class.getResourceAsStream(name), name),
                StandardCharsets.UTF_8))) {
      List<Arguments> rows =
          in.lines()
              .filter(line -> !line.isBlank() && !line.startsWith("#"))
              .map(line -> Arguments.of((Object[]) line.split("\t", -1)))
              .toList();
      if (rows.isEmpty()) {
        throw new IllegalStateException("no vectors in " + name);
      }
      return rows.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String describe(Object[] row) {
    return Arrays.toString(row);
  }
}
