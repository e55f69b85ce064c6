package dev.hearth.startd.notification;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NotificationApi.Level;
import dev.hearth.api.NotificationApi.Notification;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.Tx;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.PublicPaths;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Creates, lists and retires notifications. A new id is one more than the highest present, as
 * upstream numbers them (so removing the newest lets its id be used again). At most {@link #KEEP}
 * are kept: the oldest go first, so a noisy service cannot grow the database without bound.
 *
 * <p>Thread-safe: every change is one database transaction.
 */
public final class Notifications {
  static final int KEEP = 5_000;
  static final int MAX_TITLE = 256;
  static final int MAX_MESSAGE = 16 * 1024;
  static final int DEFAULT_LIMIT = 40;
  static final int MAX_LIMIT = 1_000;

  /** Code of a notification without payload (lifecycle.md §6). */
  public static final int CODE_PLAIN = 0;

  private static final DbPath<Map<String, Notification>> ALL =
      DbPath.of(PublicPaths.NOTIFICATIONS, new TypeReference<>() {});

  private final Database db;
  private final InstantSource clock;

  public Notifications(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Posts a notification.
   *
   * @return its id
   * @throws StartException (INVALID_REQUEST) if the title or message is empty or too long
   */
  public long create(
      @Nullable String packageId,
      Level level,
      String title,
      String message,
      int code,
      @Nullable JsonNode data) {
    if (title.isBlank() || title.length() > MAX_TITLE) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "a title has 1 to " + MAX_TITLE + " characters");
    }
    if (message.length() > MAX_MESSAGE) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "a message has at most " + MAX_MESSAGE + " characters");
    }
    return db.transact(
            tx -> {
              Map<String, Notification> all = all(tx);
              long id = all.keySet().stream().mapToLong(Long::parseLong).max().orElse(0) + 1;
              var n =
                  new Notification(
                      id,
                      packageId,
                      clock.instant().toString(),
                      code,
                      level,
                      title,
                      message,
                      data,
                      false);
              tx.put(entry(id), n);
              if (all.size() + 1 > KEEP) {
                all.keySet().stream()
                    .mapToLong(Long::parseLong)
                    .sorted()
                    .limit(all.size() + 1 - KEEP)
                    .forEach(old -> tx.remove(entry(old).pointer()));
              }
              recount(tx);
              return id;
            })
        .value();
  }

  /** Newest first: ids below {@code before} (all if null), at most {@code limit} (default 40). */
  public List<Notification> list(@Nullable Long before, @Nullable Integer limit) {
    int n = limit == null ? DEFAULT_LIMIT : Math.clamp(limit, 0, MAX_LIMIT);
    List<Notification> out = new ArrayList<>();
    db.snapshot().get(ALL).orElse(Map.of()).values().stream()
        .filter(x -> before == null || x.id() < before)
        .sorted(Comparator.comparingLong(Notification::id).reversed())
        .limit(n)
        .forEach(out::add);
    return out;
  }

  public void remove(List<Long> ids) {
    change(ids::contains, (tx, n) -> tx.remove(entry(n.id()).pointer()));
  }

  public void removeBefore(long before) {
    change(id -> id < before, (tx, n) -> tx.remove(entry(n.id()).pointer()));
  }

  public void markSeen(List<Long> ids) {
    change(ids::contains, (tx, n) -> tx.put(entry(n.id()), seen(n, true)));
  }

  public void markSeenBefore(long before) {
    change(id -> id <= before, (tx, n) -> tx.put(entry(n.id()), seen(n, true)));
  }

  public void markUnseen(List<Long> ids) {
    change(ids::contains, (tx, n) -> tx.put(entry(n.id()), seen(n, false)));
  }

  private interface Edit {
    void apply(Tx tx, Notification n);
  }

  private void change(LongPredicate which, Edit edit) {
    db.mutate(tx -> {
      for (Notification n : all(tx).values()) {
        if (which.test(n.id())) {
          edit.apply(tx, n);
        }
      }
      recount(tx);
    });
  }

  private static Notification seen(Notification n, boolean seen) {
    return new Notification(
        n.id(),
        n.packageId(),
        n.createdAt(),
        n.code(),
        n.level(),
        n.title(),
        n.message(),
        n.data(),
        seen);
  }

  private static Map<String, Notification> all(Tx tx) {
    if (tx.get(PublicPaths.NOTIFICATIONS).isEmpty()) {
      throw new StartException(ErrorKind.UNINITIALIZED, "the server is not set up yet");
    }
    return tx.get(ALL).orElse(Map.of());
  }

  private static void recount(Tx tx) {
    long unread = tx.get(ALL).orElse(Map.of()).values().stream().filter(n -> !n.seen()).count();
    tx.put(PublicPaths.UNREAD_NOTIFICATIONS, unread);
  }

  private static DbPath<Notification> entry(long id) {
    return DbPath.of(PublicPaths.NOTIFICATIONS.child(Long.toString(id)), Notification.class);
  }
}
