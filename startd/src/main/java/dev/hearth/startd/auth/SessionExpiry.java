package dev.hearth.startd.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the server honours a session: {@code idle} after its last use, and {@code lifetime}
 * after its login however busy it is. Upstream enforces neither (rpc.md §2.2), so a cookie copied
 * once works for as long as the browser keeps it.
 *
 * <p>{@code lastActive} is written at most once per {@link #ACTIVITY_RESOLUTION}, so the stored
 * value may trail the last real use by up to that much. Idle expiry adds that resolution to its
 * limit: a session is never ended before it has really been idle for {@code idle}, and is ended by
 * {@code idle} plus one resolution.
 *
 * @param idle how long a session may go unused (default 30 days: a device used once a month stays
 *     logged in)
 * @param lifetime how long after its login a session ends in any case, and the cookie's {@code
 *     Max-Age} (default 365 days: a stolen cookie dies within a year; browsers keep cookies at most
 *     400 days anyway)
 */
public record SessionExpiry(Duration idle, Duration lifetime) {
  /** How often {@code lastActive} is written: at most once a minute, not on every request. */
  public static final Duration ACTIVITY_RESOLUTION = Duration.ofMinutes(1);

  public static final SessionExpiry DEFAULT =
      new SessionExpiry(Duration.ofDays(30), Duration.ofDays(365));

  public SessionExpiry {
    if (idle.compareTo(ACTIVITY_RESOLUTION) < 0) {
      throw new IllegalArgumentException(
          "the session idle limit must be at least "
              + ACTIVITY_RESOLUTION.toMinutes()
              + " minute, the resolution of lastActive: "
              + idle);
    }
    if (lifetime.compareTo(ACTIVITY_RESOLUTION) < 0) {
      throw new IllegalArgumentException(
          "the session lifetime must be at least "
              + ACTIVITY_RESOLUTION.toMinutes()
              + " minute: "
              + lifetime);
    }
  }

  /** Whether a session that logged in and was last recorded active at these times has ended. */
  public boolean expired(Instant loggedIn, Instant lastActive, Instant now) {
    return !now.isBefore(loggedIn.plus(lifetime))
        || now.isAfter(lastActive.plus(idle).plus(ACTIVITY_RESOLUTION));
  }
}
