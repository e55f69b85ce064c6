package dev.hearth.startd.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.NotificationApi.Level;
import dev.hearth.api.NotificationApi.Notification;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.db.PublicPaths;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationsTest {
  @TempDir Path dir;
  private Database db;
  private Notifications notifications;

  @BeforeEach
  void open() {
    db = Database.open(dir, new ObjectMapper(), Migrations.standard());
    // The parts of the public model notifications touch.
    db.mutate(tx ->
        tx.put(
            JsonPointer.ROOT,
            Json.parse(
                "{\"public\":{\"serverInfo\":{\"unreadNotificationCount\":0},\"notifications\":{}},\"private\":{}}")));
    notifications = new Notifications(db, () -> Instant.parse("2026-01-01T00:00:00Z"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private long unread() {
    return db.snapshot().get(PublicPaths.UNREAD_NOTIFICATIONS).orElseThrow();
  }

  private long post(String title) {
    return notifications.create(null, Level.info, title, "m", Notifications.CODE_PLAIN, null);
  }

  @Test
  void idsGrowAndTheUnreadCountFollowsEveryChange() {
    assertThat(List.of(post("a"), post("b"), post("c"))).containsExactly(1L, 2L, 3L);
    assertThat(unread()).isEqualTo(3);
    notifications.markSeen(List.of(2L));
    assertThat(unread()).isEqualTo(2);
    notifications.markSeenBefore(3);
    assertThat(unread()).isZero();
    notifications.markUnseen(List.of(1L));
    assertThat(unread()).isEqualTo(1);
    notifications.remove(List.of(1L));
    assertThat(unread()).isZero();
    assertThat(post("d")).isEqualTo(4L);
  }

  @Test
  void listingIsNewestFirstWithPagination() {
    for (int i = 1; i <= 5; i++) {
      post("n" + i);
    }
    assertThat(notifications.list(null, 2)).extracting(Notification::id).containsExactly(5L, 4L);
    assertThat(notifications.list(4L, 2)).extracting(Notification::id).containsExactly(3L, 2L);
    notifications.removeBefore(3);
    assertThat(notifications.list(null, null))
        .extracting(Notification::id)
        .containsExactly(5L, 4L, 3L);
  }

  @Test
  void emptyOrHugeTextIsRefused() {
    assertThatThrownBy(() -> post(" ")).hasMessageContaining("title");
    assertThatThrownBy(() ->
            notifications.create(
                null, Level.error, "t", "x".repeat(Notifications.MAX_MESSAGE + 1), 0, null))
        .hasMessageContaining("message");
  }
}
