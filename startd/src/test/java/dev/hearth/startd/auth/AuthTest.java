package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.AuthApi;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.db.PrivatePaths;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions against a real database, with a clock the test moves instead of waiting. */
class AuthTest {
  static final String PASSWORD = "correct horse battery staple";
  static final SessionExpiry EXPIRY = new SessionExpiry(Duration.ofDays(30), Duration.ofDays(365));

  @TempDir Path dir;
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;
  private final List<String> ended = new ArrayList<>();
  private Database db;
  private Auth auth;

  @BeforeEach
  void open() {
    var random = new SecureRandom();
    var mapper = new ObjectMapper();
    db = Database.open(dir.resolve("db"), mapper, Migrations.standard());
    var hasher = new PasswordHash(random);
    String hash = hasher.hash(PASSWORD);
    db.mutate(tx -> {
      tx.put(JsonPointer.ROOT, Json.parse("{\"public\":{},\"private\":{\"sessions\":{}}}"));
      tx.put(PrivatePaths.PASSWORD, hash);
    });
    auth =
        new Auth(
            db,
            hasher,
            new LoginLimiter(clock),
            new EncryptedWire(random),
            LocalCookie.create(dir.resolve("run"), random),
            random,
            clock,
            EXPIRY,
            mapper,
            ended::add);
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** Logs in; returns the token, as the cookie would carry it. */
  private String login(boolean ephemeral) {
    var ctx = RpcContext.internal(Caller.ANONYMOUS);
    String token = auth.login(ctx, new AuthApi.LoginParams(PASSWORD, ephemeral, null)).session();
    assertThat(ctx.newSession()).hasValueSatisfying(s -> assertThat(s.token()).isEqualTo(token));
    return token;
  }

  private boolean stored(String token) {
    return db.snapshot().get(PrivatePaths.session(SessionToken.idOf(token))).isPresent();
  }

  private Caller authenticate(String token) {
    return auth.authenticate(null, token);
  }

  @Test
  void theCookieLastsTheAbsoluteLifetime() {
    var ctx = RpcContext.internal(Caller.ANONYMOUS);
    auth.login(ctx, new AuthApi.LoginParams(PASSWORD, null, null));
    assertThat(ctx.newSession().orElseThrow().lifetime()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void aSessionUsedWithinTheIdleLimitLastsUntilItsLifetimeEnds() {
    String token = login(false);
    Instant loggedIn = now;
    while (now.isBefore(loggedIn.plus(Duration.ofDays(365)).minus(Duration.ofDays(29)))) {
      now = now.plus(Duration.ofDays(29));
      assertThat(authenticate(token)).as("at %s", now).isInstanceOf(Caller.Session.class);
    }
    now = loggedIn.plus(Duration.ofDays(365)).minusSeconds(1);
    assertThat(authenticate(token)).isInstanceOf(Caller.Session.class);
    now = loggedIn.plus(Duration.ofDays(365));
    assertThat(authenticate(token)).isEqualTo(Caller.ANONYMOUS);
    assertThat(stored(token)).as("the expired session is deleted").isFalse();
    assertThat(ended).containsExactly(SessionToken.idOf(token));
  }

  @Test
  void anIdleSessionEndsAfterTheIdleLimitPlusTheResolutionOfLastActive() {
    String token = login(false);
    now = now.plus(Duration.ofDays(1));
    assertThat(authenticate(token)).isInstanceOf(Caller.Session.class); // writes lastActive
    Instant lastUse = now.plusSeconds(59); // not written: within a minute of the last write
    now = lastUse;
    assertThat(authenticate(token)).isInstanceOf(Caller.Session.class);
    // Measured from the real last use, a session is never ended before 30 days...
    now = lastUse.plus(Duration.ofDays(30));
    assertThat(authenticate(token)).isInstanceOf(Caller.Session.class);
    // ...which this use restarts; then 30 days and a minute of silence end it.
    now = now.plus(Duration.ofDays(30)).plus(SessionExpiry.ACTIVITY_RESOLUTION).plusSeconds(1);
    assertThat(authenticate(token)).isEqualTo(Caller.ANONYMOUS);
    assertThat(stored(token)).isFalse();
  }

  @Test
  void anExpiredEphemeralSessionIsForgottenToo() {
    String token = login(true);
    now = now.plus(Duration.ofDays(31));
    assertThat(authenticate(token)).isEqualTo(Caller.ANONYMOUS);
    assertThat(ended).containsExactly(SessionToken.idOf(token));
    assertThat(auth.sessions(RpcContext.internal(Caller.LOCAL)).sessions()).isEmpty();
  }

  @Test
  void loggingInClearsOutExpiredSessionsNobodyPresentsAgain() {
    String abandoned = login(false);
    now = now.plus(Duration.ofDays(31));
    String fresh = login(false);
    assertThat(stored(abandoned)).isFalse();
    assertThat(stored(fresh)).isTrue();
    assertThat(ended).containsExactly(SessionToken.idOf(abandoned));
  }

  @Test
  void expiredSessionsAreNotListed() {
    String old = login(false);
    now = now.plus(Duration.ofDays(20));
    String recent = login(false);
    now = now.plus(Duration.ofDays(11));
    assertThat(auth.sessions(RpcContext.internal(Caller.LOCAL)).sessions())
        .containsOnlyKeys(SessionToken.idOf(recent))
        .doesNotContainKey(SessionToken.idOf(old));
  }

  @Test
  void killAllEndsEverySessionAndClearsTheCallersCookie() {
    String mine = login(false);
    String other = login(false);
    String inMemory = login(true);
    var ctx = RpcContext.internal(new Caller.Session(SessionToken.idOf(mine)));
    auth.endAll(ctx);
    assertThat(ctx.sessionEnded()).isTrue();
    for (String token : List.of(mine, other, inMemory)) {
      assertThat(authenticate(token)).isEqualTo(Caller.ANONYMOUS);
    }
    assertThat(db.snapshot().get(PrivatePaths.SESSION_MAP)).hasValue(java.util.Map.of());
    assertThat(ended)
        .containsExactlyInAnyOrder(
            SessionToken.idOf(mine), SessionToken.idOf(other), SessionToken.idOf(inMemory));
  }

  @Test
  void changingThePasswordKeepsOnlyTheCallersSession() {
    String mine = login(false);
    String other = login(false);
    String inMemory = login(true);
    var text = new ObjectMapper().getNodeFactory();
    var ctx = RpcContext.internal(new Caller.Session(SessionToken.idOf(mine)));
    auth.resetPassword(
        ctx, new AuthApi.ResetPasswordParams(text.textNode(PASSWORD), text.textNode("new one")));
    assertThat(authenticate(mine)).isInstanceOf(Caller.Session.class);
    assertThat(authenticate(other)).isEqualTo(Caller.ANONYMOUS);
    assertThat(authenticate(inMemory)).isEqualTo(Caller.ANONYMOUS);
    assertThat(ended)
        .containsExactlyInAnyOrder(SessionToken.idOf(other), SessionToken.idOf(inMemory));
  }
}
