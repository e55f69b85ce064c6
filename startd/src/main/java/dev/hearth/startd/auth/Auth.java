package dev.hearth.startd.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.AuthApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.SessionRecord;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication: who a request comes from, logging in and out, sessions, the master password.
 *
 * <p>Persistent sessions live at {@code /private/sessions}; ephemeral ones only in memory. A
 * request's session is looked up by the hash of its cookie, so a database dump would not reveal a
 * usable token even if it leaked. {@code lastActive} is written at most once a minute per session,
 * not on every request.
 *
 * <p>Sessions expire on the server ({@link SessionExpiry}): every authentication checks the
 * session's age and idle time, and an expired session is deleted and its streams closed, so the
 * request goes on as anonymous. Changing the password ends every other session; {@link #endAll}
 * ends every one.
 *
 * <p>Thread-safe.
 */
public final class Auth {
  private static final Logger log = LoggerFactory.getLogger(Auth.class);
  private static final InetAddress UNKNOWN_ADDRESS = InetAddress.getLoopbackAddress();

  private final Database db;
  private final PasswordHash hasher;
  private final LoginLimiter limiter;
  private final EncryptedWire wire;
  private final LocalCookie localCookie;
  private final SecureRandom random;
  private final InstantSource clock;
  private final SessionExpiry expiry;
  private final ObjectMapper mapper;
  private final Consumer<String> sessionEnded;
  private final Map<String, SessionRecord> ephemeral = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastBump = new ConcurrentHashMap<>();

  /**
   * @param expiry how long sessions last
   * @param sessionEnded told the id of every session that ends, so its continuations close
   */
  public Auth(
      Database db,
      PasswordHash hasher,
      LoginLimiter limiter,
      EncryptedWire wire,
      LocalCookie localCookie,
      SecureRandom random,
      InstantSource clock,
      SessionExpiry expiry,
      ObjectMapper mapper,
      Consumer<String> sessionEnded) {
    this.db = db;
    this.hasher = hasher;
    this.limiter = limiter;
    this.wire = wire;
    this.localCookie = localCookie;
    this.random = random;
    this.clock = clock;
    this.expiry = expiry;
    this.mapper = mapper;
    this.sessionEnded = sessionEnded;
  }

  /**
   * Who a request comes from, by its cookies: the local cookie first, then the session (rpc.md
   * §2.1). Credentials that do not check out, and a session that has expired (which this deletes),
   * make an anonymous caller, never an error here.
   */
  public Caller authenticate(@Nullable String local, @Nullable String sessionToken) {
    if (local != null && localCookie.matches(local)) {
      return Caller.LOCAL;
    }
    if (sessionToken != null && !sessionToken.isEmpty() && sessionToken.length() <= 64) {
      String id = SessionToken.idOf(sessionToken);
      SessionRecord session = ephemeral.get(id);
      if (session == null) {
        session = db.snapshot().get(PrivatePaths.session(id)).orElse(null);
      }
      if (session == null) {
        return Caller.ANONYMOUS;
      }
      Instant now = clock.instant();
      if (expired(session, now)) {
        log.info("{} expired", new Caller.Session(id)); // its toString shows a prefix of the id
        end(List.of(id));
        return Caller.ANONYMOUS;
      }
      touch(id, now);
      return new Caller.Session(id);
    }
    return Caller.ANONYMOUS;
  }

  /** Whether a session has outlived its lifetime or idle limit; an unreadable one has. */
  private boolean expired(SessionRecord s, Instant now) {
    try {
      return expiry.expired(instant(s.loggedIn()), instant(s.lastActive()), now);
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  /** RFC 3339, as we write it ({@code Instant.toString}) or with an offset, as upstream may. */
  private static Instant instant(String rfc3339) {
    return OffsetDateTime.parse(rfc3339).toInstant();
  }

  private void touch(String id, Instant now) {
    Instant last = lastBump.get(id);
    if (last != null
        && Duration.between(last, now).compareTo(SessionExpiry.ACTIVITY_RESOLUTION) < 0) {
      return;
    }
    lastBump.put(id, now);
    String time = now.toString();
    if (ephemeral.computeIfPresent(id, (k, s) -> s.withLastActive(time)) != null) {
      return;
    }
    db.mutate(tx -> {
      var path = PrivatePaths.session(id);
      tx.get(path).ifPresent(s -> tx.put(path, s.withLastActive(time)));
    });
  }

  /**
   * Checks the password and starts a session; the transport sets the cookie.
   *
   * @throws StartException (RATE_LIMITED) after too many failures from this address;
   *     (INCORRECT_PASSWORD) if the password is wrong; (UNINITIALIZED) before setup
   */
  public AuthApi.LoginResult login(RpcContext ctx, AuthApi.LoginParams params) {
    InetAddress address = ctx.clientAddress().orElse(UNKNOWN_ADDRESS);
    String stored =
        db.snapshot()
            .get(PrivatePaths.PASSWORD)
            .orElseThrow(
                () -> new StartException(ErrorKind.UNINITIALIZED, "the server is not set up yet"));
    limiter.reserve(address);
    if (!hasher.verify(params.password(), stored)) {
      log.info("failed login from {}", address.getHostAddress());
      throw new StartException(ErrorKind.INCORRECT_PASSWORD, "the password is incorrect");
    }
    limiter.succeeded(address);
    String token = SessionToken.newToken(random);
    String id = SessionToken.idOf(token);
    Instant now = clock.instant();
    var session = new SessionRecord(now.toString(), now.toString(), ctx.userAgent().orElse(null));
    boolean keepInMemory = Boolean.TRUE.equals(params.ephemeral());
    // Expired sessions nobody presents again would stay forever: logging in clears them out.
    List<String> stale =
        db.transact(
                tx -> {
                  List<String> gone = new ArrayList<>();
                  tx.get(PrivatePaths.SESSION_MAP)
                      .orElse(Map.of())
                      .forEach((other, s) -> {
                        if (expired(s, now)) {
                          tx.remove(PrivatePaths.SESSIONS.child(other));
                          gone.add(other);
                        }
                      });
                  if (!keepInMemory) {
                    tx.put(PrivatePaths.session(id), session);
                  }
                  return gone;
                })
            .value();
    ephemeral.forEach((other, s) -> {
      if (expired(s, now)) {
        stale.add(other);
      }
    });
    forget(stale);
    if (keepInMemory) {
      ephemeral.put(id, session);
    }
    lastBump.put(id, now);
    ctx.startSession(new RpcContext.NewSession(token, expiry.lifetime()));
    log.info("login from {}", address.getHostAddress());
    return new AuthApi.LoginResult(token);
  }

  /**
   * Ends the caller's own session.
   *
   * @throws StartException (INVALID_REQUEST) when the caller did not use a session
   */
  public void logout(RpcContext ctx) {
    String id =
        ctx.sessionId()
            .orElseThrow(() ->
                new StartException(
                    ErrorKind.INVALID_REQUEST, "this call was not made with a session"));
    end(List.of(id));
    ctx.endSession();
  }

  /** The sessions that can still authenticate (expired ones are left out). */
  public AuthApi.SessionList sessions(RpcContext ctx) {
    Instant now = clock.instant();
    Map<String, AuthApi.SessionInfo> all = new LinkedHashMap<>();
    Map<String, SessionRecord> stored =
        db.snapshot().get(PrivatePaths.SESSION_MAP).orElse(Map.of());
    for (var sessions : List.of(stored, Map.copyOf(ephemeral))) {
      sessions.forEach((id, s) -> {
        if (!expired(s, now)) {
          all.put(id, info(s));
        }
      });
    }
    return new AuthApi.SessionList(ctx.sessionId().orElse(null), all);
  }

  private static AuthApi.SessionInfo info(SessionRecord s) {
    return new AuthApi.SessionInfo(s.loggedIn(), s.lastActive(), s.userAgent());
  }

  /** Ends sessions by id; unknown ids are ignored. */
  public void end(List<String> ids) {
    db.mutate(tx -> {
      for (String id : ids) {
        if (SESSION_ID.matcher(id).matches()) {
          tx.remove(PrivatePaths.SESSIONS.child(id));
        }
      }
    });
    forget(ids);
  }

  /**
   * Ends every session, the caller's too ("log out everywhere"), in one transaction, and closes
   * their streams. A session logging in meanwhile is either ended with the rest or begins after.
   */
  public void endAll(RpcContext ctx) {
    List<String> ended =
        db.transact(
                tx -> {
                  List<String> ids =
                      new ArrayList<>(tx.get(PrivatePaths.SESSION_MAP).orElse(Map.of()).keySet());
                  tx.put(PrivatePaths.SESSION_MAP, Map.of());
                  return ids;
                })
            .value();
    ended.addAll(ephemeral.keySet());
    forget(ended);
    if (ctx.sessionId().isPresent()) {
      ctx.endSession();
    }
    log.info("every session ended ({}) by {}", ended.size(), ctx.caller());
  }

  /** Drops what memory holds of ended sessions and closes their streams. */
  private void forget(Collection<String> ids) {
    for (String id : ids) {
      ephemeral.remove(id);
      lastBump.remove(id);
      sessionEnded.accept(id);
    }
  }

  private static final Pattern SESSION_ID = Pattern.compile("[a-z2-7]{1,64}");

  /**
   * Changes the master password. A session must prove the current one; the on-box CLI may reset it
   * without (whoever runs it as root owns the machine). Every other session ends in the same
   * transaction: a password is changed when it may be known to someone else, whose sessions must
   * not outlive it. A reset from the CLI has no session of its own, so every session ends.
   *
   * @throws StartException (INCORRECT_PASSWORD) if the old password is wrong; (INVALID_REQUEST) if
   *     the new one is missing or empty
   */
  public void resetPassword(RpcContext ctx, AuthApi.ResetPasswordParams params) {
    JsonNode newValue = params.newPassword();
    String next = newValue == null ? "" : wire.password(newValue, true, mapper);
    if (next.isEmpty()) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "the new password must not be empty");
    }
    if (!(ctx.caller() instanceof Caller.Local)) {
      // Guessing the current password through a stolen session is limited like logging in.
      InetAddress address = ctx.clientAddress().orElse(UNKNOWN_ADDRESS);
      JsonNode oldValue = params.oldPassword();
      String old = oldValue == null ? "" : wire.password(oldValue, true, mapper);
      String stored = db.snapshot().get(PrivatePaths.PASSWORD).orElse("");
      limiter.reserve(address);
      if (stored.isEmpty() || !hasher.verify(old, stored)) {
        throw new StartException(ErrorKind.INCORRECT_PASSWORD, "the current password is incorrect");
      }
      limiter.succeeded(address);
    }
    String hash = hasher.hash(next);
    String keep = ctx.sessionId().orElse("");
    List<String> ended =
        db.transact(
                tx -> {
                  tx.put(PrivatePaths.PASSWORD, hash);
                  List<String> others = new ArrayList<>();
                  for (String id : tx.get(PrivatePaths.SESSION_MAP).orElse(Map.of()).keySet()) {
                    if (!id.equals(keep)) {
                      tx.remove(PrivatePaths.SESSIONS.child(id));
                      others.add(id);
                    }
                  }
                  return others;
                })
            .value();
    ephemeral.keySet().stream().filter(id -> !id.equals(keep)).forEach(ended::add);
    forget(ended);
    log.info("master password changed by {}; {} other sessions ended", ctx.caller(), ended.size());
  }

  public JsonNode publicKey() {
    return wire.publicJwk(mapper);
  }

  /** The key clients encrypt passwords with; setup uses it too. */
  public EncryptedWire wire() {
    return wire;
  }

  public PasswordHash hasher() {
    return hasher;
  }
}
