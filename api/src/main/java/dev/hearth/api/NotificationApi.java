package dev.hearth.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Notifications (rpc.md §4.7, lifecycle.md §6). */
public final class NotificationApi {
  private NotificationApi() {}

  /** How serious: upstream's four levels, as their wire names. */
  public enum Level {
    success,
    info,
    warning,
    error
  }

  public record Notification(
      long id,
      @Nullable String packageId,
      String createdAt,
      int code,
      Level level,
      String title,
      String message,
      @Nullable JsonNode data,
      boolean seen) {}

  /** Newest first, ids below {@code before}, at most {@code limit} (default 40). */
  public record ListParams(@Nullable Long before, @Nullable Integer limit) {}

  public record IdsParams(List<Long> ids) {
    public IdsParams {
      ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
    }
  }

  public record BeforeParams(long before) {}

  /** {@code package}: the service it concerns, if any. */
  public record CreateParams(
      @JsonProperty("package") @Nullable String packageId,
      Level level,
      String title,
      String message) {
    public CreateParams {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(message, "message");
    }
  }

  public static final MethodSpec<ListParams, List<Notification>> LIST =
      MethodSpec.of(
          "notification.list",
          ListParams.class,
          new com.fasterxml.jackson.core.type.TypeReference<List<Notification>>() {},
          "Notifications, newest first");

  public static final MethodSpec<IdsParams, Void> REMOVE =
      MethodSpec.of("notification.remove", IdsParams.class, Void.class, "Delete notifications")
          .syncingDb();

  public static final MethodSpec<BeforeParams, Void> REMOVE_BEFORE =
      MethodSpec.of(
              "notification.remove-before",
              BeforeParams.class,
              Void.class,
              "Delete notifications with ids below a number")
          .syncingDb();

  public static final MethodSpec<IdsParams, Void> MARK_SEEN =
      MethodSpec.of("notification.mark-seen", IdsParams.class, Void.class, "Mark as seen")
          .syncingDb();

  public static final MethodSpec<BeforeParams, Void> MARK_SEEN_BEFORE =
      MethodSpec.of(
              "notification.mark-seen-before",
              BeforeParams.class,
              Void.class,
              "Mark every notification up to an id as seen")
          .syncingDb();

  public static final MethodSpec<IdsParams, Void> MARK_UNSEEN =
      MethodSpec.of("notification.mark-unseen", IdsParams.class, Void.class, "Mark as unseen")
          .syncingDb();

  public static final MethodSpec<CreateParams, Long> CREATE =
      MethodSpec.of("notification.create", CreateParams.class, Long.class, "Post a notification")
          .syncingDb();
}
