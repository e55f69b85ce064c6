package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ServerApi.LogEntry;
import dev.hearth.startd.system.LogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<String> stored(LogStore store) {
    return store.read(100, null, null, false).entries().stream().map(LogEntry::message).toList();
  }

  @Test
  void aCharacterSplitBetweenTwoWritesIsDecodedWhole() throws IOException {
    Path file = dir.resolve("runtime.log");
    byte[] line = "h\u00e9llo \u2713\n".getBytes(StandardCharsets.UTF_8);
    try (var store = new LogStore(dir.resolve("logs"), "boot", new ObjectMapper());
        var tail = new LogTail(file, store, "test", null)) {
      append(file, java.util.Arrays.copyOfRange(line, 0, 2)); // "h" and half of "é"
      assertThat(tail.recent()).isEmpty();
      append(file, java.util.Arrays.copyOfRange(line, 2, 8)); // the rest of "é", "llo ", half "✓"
      assertThat(tail.recent()).isEmpty();
      append(file, java.util.Arrays.copyOfRange(line, 8, line.length));
      assertThat(tail.recent()).containsExactly("h\u00e9llo \u2713");
      assertThat(stored(store)).containsExactly("h\u00e9llo \u2713");
    }
  }

  @Test
  void aLongLineIsCutAndAnUnfinishedLastLineIsKeptAtClose() throws IOException {
    Path file = dir.resolve("runtime.log");
    try (var store = new LogStore(dir.resolve("logs"), "boot", new ObjectMapper())) {
      try (var tail = new LogTail(file, store, "test", null)) {
        append(
            file, ("x".repeat(LogTail.MAX_LINE + 100) + "\nlast").getBytes(StandardCharsets.UTF_8));
        assertThat(tail.recent()).containsExactly("x".repeat(LogTail.MAX_LINE));
      }
      assertThat(stored(store)).containsExactly("x".repeat(LogTail.MAX_LINE), "last");
    }
  }
}
