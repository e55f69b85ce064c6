package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ServerApi.LogEntry;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.system.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Opens the file by path: the test's own file, not a container's. */
  static LogTail.Source opener(Path file) {
    return () -> {
      try {
        return Files.exists(file)
            ? Optional.of(FileChannel.open(file, StandardOpenOption.READ))
            : Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static List<String> stored(LogStore store) {
    return store.read(100, null, null, false).entries().stream().map(LogEntry::message).toList();
  }

  @Test
  void aCharacterSplitBetweenTwoWritesIsDecodedWhole() throws IOException {
    Path file = dir.resolve("runtime.log");
    byte[] line = "h\u00e9llo \u2713\n".getBytes(StandardCharsets.UTF_8);
    try (var store = new LogStore(dir.resolve("logs"), "boot", new ObjectMapper());
        var tail = new LogTail(file, opener(file), store, "test", null)) {
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
      try (var tail = new LogTail(file, opener(file), store, "test", null)) {
        append(
            file, ("x".repeat(LogTail.MAX_LINE + 100) + "\nlast").getBytes(StandardCharsets.UTF_8));
        assertThat(tail.recent()).containsExactly("x".repeat(LogTail.MAX_LINE));
      }
      assertThat(stored(store)).containsExactly("x".repeat(LogTail.MAX_LINE), "last");
    }
  }

  @Test
  void oneReadTakesAtMostTheBudgetAndTheRestComesLater() throws IOException {
    Path file = dir.resolve("runtime.log");
    String line = "y".repeat(1023) + "\n"; // 1 KiB a line
    int lines = 3 * LogTail.READ_BUDGET / line.length();
    append(file, line.repeat(lines).getBytes(StandardCharsets.UTF_8));
    try (FileChannel in = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      long[] handed = {0};
      LogTail.Chunks count = (bytes, length) -> handed[0] += length;
      assertThat(LogTail.readSome(in, 0, buffer, LogTail.READ_BUDGET, count))
          .isEqualTo(LogTail.READ_BUDGET);
      assertThat(handed[0]).isEqualTo(LogTail.READ_BUDGET);
      long rest = 3L * LogTail.READ_BUDGET - LogTail.READ_BUDGET;
      assertThat(LogTail.readSome(in, LogTail.READ_BUDGET, buffer, (int) rest + 10, count))
          .isEqualTo(rest);
    }
    // And the tail gets every line, a budget at a time.
    try (var store = new LogStore(dir.resolve("logs"), "boot", new ObjectMapper());
        var tail = new LogTail(file, opener(file), store, "test", null)) {
      org.awaitility.Awaitility.await()
          .until(() -> store.read(lines + 1, null, null, false).entries().size() == lines);
    }
  }

  @Test
  void aLogThatMayNotBeOpenedIsNotReadAndSaysWhyOnce() throws IOException {
    int[] asked = {0};
    LogTail.Source refusing =
        () -> {
          asked[0]++;
          throw new StartException(ErrorKind.FILESYSTEM, "runtime.log is a symbolic link");
        };
    try (var store = new LogStore(dir.resolve("logs"), "boot", new ObjectMapper());
        var tail = new LogTail(dir.resolve("runtime.log"), refusing, store, "test", null)) {
      assertThat(tail.recent()).isEmpty();
      assertThat(tail.recent()).isEmpty();
      assertThat(asked[0]).isGreaterThanOrEqualTo(2);
      assertThat(stored(store)).isEmpty();
    }
  }
}
