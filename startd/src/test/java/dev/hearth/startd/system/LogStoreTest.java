package dev.hearth.startd.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ServerApi.LogEntry;
import dev.hearth.api.ServerApi.LogPage;
import dev.hearth.error.StartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreTest {
  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();

  private static List<String> messages(LogPage page) {
    return page.entries().stream().map(LogEntry::message).toList();
  }

  private LogStore store(String boot, int entries) {
    var store = new LogStore(dir, boot, mapper);
    for (int i = 1; i <= entries; i++) {
      store.append(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "INFO", boot + " " + i);
    }
    return store;
  }

  @Test
  void pagesGoForwardAndBackFromACursor() {
    try (var store = store("b1", 10)) {
      LogPage last3 = store.read(3, null, null, false);
      assertThat(messages(last3)).containsExactly("b1 8", "b1 9", "b1 10");
      assertThat(last3.startCursor()).isEqualTo("8");
      LogPage before = store.read(3, last3.startCursor(), null, true);
      assertThat(messages(before)).containsExactly("b1 5", "b1 6", "b1 7");
      LogPage after = store.read(2, "4", null, false);
      assertThat(messages(after)).containsExactly("b1 5", "b1 6");
      assertThat(store.read(5, "10", null, false).entries()).isEmpty();
    }
  }

  @Test
  void entriesSurviveARestartAndBootsCanBeSelected() {
    store("boot-a", 3).close();
    try (var store = store("boot-b", 2)) {
      assertThat(messages(store.read(100, null, "0", false)))
          .containsExactly("boot-b 1", "boot-b 2");
      assertThat(messages(store.read(100, null, "-1", false)))
          .containsExactly("boot-a 1", "boot-a 2", "boot-a 3");
      assertThat(messages(store.read(100, null, "boot-a", false))).hasSize(3);
      assertThat(store.read(100, null, null, false).entries()).hasSize(5);
      assertThat(store.read(100, null, null, false).endCursor()).isEqualTo("5");
      assertThatThrownBy(() -> store.read(1, null, "-5", false)).isInstanceOf(StartException.class);
    }
  }

  @Test
  void aFollowerHearsEveryNewEntry() {
    try (var store = store("b", 1)) {
      List<String> heard = new CopyOnWriteArrayList<>();
      store.follow(s -> heard.add(s.message()));
      store.append(Instant.now(), "WARN", "fresh");
      assertThat(heard).containsExactly("fresh");
    }
  }

  @Test
  void aFollowStartsWithTheLastEntriesOrAllAfterItsCursorAndNothingNewerThanItsStart() {
    try (var store = store("b", 30)) {
      List<String> heard = new CopyOnWriteArrayList<>();
      long upTo = store.followFrom(s -> heard.add(s.message()));
      assertThat(upTo).isEqualTo(30);
      store.append(Instant.now(), "INFO", "after");
      assertThat(heard).containsExactly("after");

      List<String> last10 =
          store.backlog(null, null, null, upTo).stream().map(LogStore.Stored::message).toList();
      assertThat(last10).hasSize(10).startsWith("b 21").endsWith("b 30");
      assertThat(store.backlog(2, null, null, upTo))
          .extracting(LogStore.Stored::message)
          .containsExactly("b 29", "b 30");
      // Resuming after a cursor: everything after it, whatever the limit.
      assertThat(store.backlog(2, "25", null, upTo))
          .extracting(LogStore.Stored::message)
          .containsExactly("b 26", "b 27", "b 28", "b 29", "b 30");
      assertThat(store.backlog(null, "30", null, upTo)).isEmpty();
      assertThatThrownBy(() -> store.backlog(null, "x", null, upTo))
          .isInstanceOf(StartException.class);
    }
  }

  @Test
  void aLineCutShortByACrashIsSkipped() throws Exception {
    store("b", 2).close();
    Files.writeString(
        dir.resolve("startd.log"),
        "{\"seq\":3,\"time\":\"2026",
        java.nio.file.StandardOpenOption.APPEND);
    try (var store = new LogStore(dir, "b", mapper)) {
      assertThat(store.read(10, null, null, false).entries()).hasSize(2);
      store.append(Instant.now(), "INFO", "next");
      assertThat(store.lastCursor()).isEqualTo("3");
    }
  }
}
