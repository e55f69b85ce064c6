package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChangesTest {
  @TempDir Path dir;

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void aListenerHearsWritesToItsFileOnlyAndUntilItStops() throws Exception {
    Path a = dir.resolve("a.log");
    Path b = dir.resolve("b.log");
    Path c = dir.resolve("c.log");
    var heardA = new AtomicInteger();
    var heardB = new AtomicInteger();
    var heardC = new AtomicInteger();
    try (var changes = new FileChanges()) {
      AutoCloseable watchA = changes.watch(a, heardA::incrementAndGet);
      changes.watch(b, heardB::incrementAndGet);
      changes.watch(c, heardC::incrementAndGet);

      append(a, "one\n"); // created, then written
      await().atMost(Duration.ofSeconds(10)).until(() -> heardA.get() > 0);
      append(c, "mark\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> heardC.get() > 0);
      assertThat(heardB).hasValue(0); // b's listener heard nothing of a or c

      // Events come in order: once c's second write is heard, a's would have been.
      watchA.close();
      int before = heardA.get();
      int cBefore = heardC.get();
      append(a, "two\n");
      append(c, "mark\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> heardC.get() > cBefore);
      assertThat(heardA).hasValue(before);
    }
  }

  @Test
  void aTailWithAWatchCopiesLinesWithoutBeingAsked() throws Exception {
    Path file = dir.resolve("runtime.log");
    append(file, "");
    try (var changes = new FileChanges();
        var store =
            new dev.hearth.startd.system.LogStore(
                dir.resolve("logs"), "boot", new com.fasterxml.jackson.databind.ObjectMapper());
        var tail = new LogTail(file, LogTailTest.opener(file), store, "test", changes)) {
      append(file, "hello\n");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.read(10, null, null, false).entries().size() == 1);
      assertThat(store.read(10, null, null, false).entries().getFirst().message())
          .isEqualTo("hello");
    }
  }
}
