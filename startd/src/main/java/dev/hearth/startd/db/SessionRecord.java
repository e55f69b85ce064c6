package dev.hearth.startd.db;

import org.jspecify.annotations.Nullable;

/** A persistent session at {@code /private/sessions/<id>} (rpc.md §2.2). Times are RFC 3339. */
public record SessionRecord(String loggedIn, String lastActive, @Nullable String userAgent) {
  public SessionRecord withLastActive(String time) {
    return new SessionRecord(loggedIn, time, userAgent);
  }
}
