package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables as the commands print them. */
class OutputTest {
  @Test
  void columnsAreAsWideAsTheirWidestCellAndTheLastIsNotPadded() {
    assertThat(table(List.of("ID", "STATE"), List.of(List.of("hello-world", "running"))))
        .isEqualTo("ID           STATE\nhello-world  running\n");
  }

  @Test
  void aColumnEmptyInEveryRowIsPrintedNotRefused() {
    // auth session list marks the current session in an unnamed first column; without one, every
    // cell of that column is empty (it used to fail with "%-0s").
    assertThat(table(List.of("", "ID", "USER AGENT"), List.of(List.of("", "abc", ""))))
        .isEqualTo("  ID   USER AGENT\n  abc\n");
  }

  @Test
  void aShortRowLeavesItsMissingCellsEmpty() {
    assertThat(table(List.of("A", "B", "C"), List.of(List.of("x")))).isEqualTo("A  B  C\nx\n");
  }

  private static String table(List<String> header, List<List<String>> rows) {
    var bytes = new ByteArrayOutputStream();
    Output.table(new PrintStream(bytes, true, StandardCharsets.UTF_8), header, rows);
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
