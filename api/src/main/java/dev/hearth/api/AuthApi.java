package dev.hearth.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.Access;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Sessions and the master password (rpc.md §2, §4.2). */
public final class AuthApi {
  private AuthApi() {}

  /**
   * @param password the master password, as plain text (rpc.md §2.3: login takes no other form)
   * @param ephemeral keep the session in memory only
   * @param metadata ignored; the CLI sends {@code {"platforms":["cli"]}}
   */
  public record LoginParams(
      String password, @Nullable Boolean ephemeral, @Nullable JsonNode metadata) {
    public LoginParams {
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "LoginParams[password=<redacted>, ephemeral=" + ephemeral + "]";
    }
  }

  /** The session token, also set as the session cookie ({@code __Host-session} over TLS). */
  public record LoginResult(String session) {
    @Override
    public String toString() {
      return "LoginResult[<redacted>]";
    }
  }

  /** A session as listed: when it logged in, when it was last used, and by what. */
  public record SessionInfo(String loggedIn, String lastActive, @Nullable String userAgent) {}

  public record SessionList(@Nullable String current, Map<String, SessionInfo> sessions) {}

  public record KillParams(List<String> ids) {
    public KillParams {
      ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
    }
  }

  /**
   * Both passwords are a {@code PasswordType}: a plain string or {@code {"encrypted": <JWE>}}
   * (rpc.md §2.3). A session must give the current password; the on-box CLI may reset without it.
   */
  public record ResetPasswordParams(
      @Nullable JsonNode oldPassword, @Nullable JsonNode newPassword) {
    @Override
    public String toString() {
      return "ResetPasswordParams[<redacted>]";
    }
  }

  public static final MethodSpec<LoginParams, LoginResult> LOGIN =
      MethodSpec.of("auth.login", LoginParams.class, LoginResult.class, "Log in with the password")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<Empty, Void> LOGOUT =
      MethodSpec.of("auth.logout", Empty.class, Void.class, "End this session");

  public static final MethodSpec<Empty, SessionList> SESSION_LIST =
      MethodSpec.of("auth.session.list", Empty.class, SessionList.class, "List sessions");

  public static final MethodSpec<KillParams, Void> SESSION_KILL =
      MethodSpec.of("auth.session.kill", KillParams.class, Void.class, "End sessions by id")
          .syncingDb();

  /**
   * Ends every session, the caller's too, in one transaction, and closes their streams ("log out
   * everywhere"). Not upstream's, whose {@code kill} takes ids only: listing then killing them
   * misses a session that logs in between.
   */
  public static final MethodSpec<Empty, Void> SESSION_KILL_ALL =
      MethodSpec.of(
              "auth.session.kill-all",
              Empty.class,
              Void.class,
              "End every session, this one too (log out everywhere)")
          .syncingDb();

  public static final MethodSpec<ResetPasswordParams, Void> RESET_PASSWORD =
      MethodSpec.of(
              "auth.reset-password",
              ResetPasswordParams.class,
              Void.class,
              "Change the master password (reset it, from the server itself); ends every other"
                  + " session")
          .syncingDb();

  public static final MethodSpec<Empty, JsonNode> GET_PUBKEY =
      MethodSpec.of(
              "auth.get-pubkey",
              Empty.class,
              JsonNode.class,
              "The server's public key (JWK) for encrypting passwords")
          .withAccess(Access.PUBLIC);
}
