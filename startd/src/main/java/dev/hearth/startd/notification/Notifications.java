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
 * are kept, and at most {@link #KEEP_PER_PACKAGE} from any one package: the oldest go first, so a
 * noisy (or hostile) service cannot grow the database without bound or push out the others'. Each
 * one is small: title, message and data have byte limits.
 *
 * <p>Thread-safe: every change is one database transaction.
 */
public final class Notifications {
  static final int KEEP = 5_000;
  static final int KEEP_PER_PACKAGE = 100;
  static final int MAX_TITLE = 256;
  static final int MAX_MESSAGE = 16 * 1024;
  static final int MAX_DATA_BYTES = 16 * 1024; // serialized
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
   * @throws StartException (INVALID_REQUEST) if the title or message is empty or too long, or the
   *     data too big
   */
  public long create(
      @Nullable String packageId,
      Level level,
      String title,
      String message,
      int code,
      @Nullable JsonNode data) {
    return db.transact(tx -> create(tx, packageId, level, title, message, code, data)).value();
  }

  /** Like {@link #create(String, Level, String, String, int, JsonNode)}, within {@code tx}. */
  public long create(
      Tx tx,
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
    if (data != null && tx.codec().bytes(tx.codec().toJson(data)).length > MAX_DATA_BYTES) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "a notification's data has at most " + MAX_DATA_BYTES + " bytes");
    }
    Map<String, Notification> all = all(tx);
    long id = all.keySet().stream().mapToLong(Long::parseLong).max().orElse(0) + 1;
    var n =
        new Notification(
            id, packageId, clock.instant().toString(), code, level, title, message, data, false);
    tx.put(entry(id), n);
    if (packageId != null) {
      dropOldest(
          tx,
          all.values().stream().filter(x -> packageId.equals(x.packageId())).toList(),
          KEEP_PER_PACKAGE - 1);
    }
    dropOldest(tx, all(tx).values().stream().filter(x -> x.id() != id).toList(), KEEP - 1);
    recount(tx);
    return id;
  }

  /** Removes the oldest of {@code some} until at most {@code keep} of them are left. */
  private static void dropOldest(Tx tx, List<Notification> some, int keep) {
    some.stream()
        .mapToLong(Notification::id)
        .sorted()
        .limit(Math.max(0, some.size() - keep))
        .forEach(old -> tx.remove(entry(old).pointer()));
  }

  /** The bytes of the notifications {@code packageId} posted, as stored. */
  public static long bytesOf(Tx tx, String packageId) {
    long total = 0;
    for (Notification n : tx.get(ALL).orElse(Map.of()).values()) {
      if (packageId.equals(n.packageId())) {
        total += tx.codec().bytes(tx.codec().toJson(n)).length;
      }
    }
    return total;
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
