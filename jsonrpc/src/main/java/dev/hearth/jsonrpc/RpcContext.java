package dev.hearth.jsonrpc;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a handler knows about the call besides its params, and what it may ask of the response. One
 * per request, used by the request's thread only.
 */
public final class RpcContext {
  /**
   * A session a login started: the token for the cookie, and how long the server will honour it
   * (the cookie's {@code Max-Age}).
   */
  public record NewSession(String token, Duration lifetime) {
    public NewSession {
      Objects.requireNonNull(token, "token");
      if (!lifetime.isPositive()) {
        throw new IllegalArgumentException("a session's lifetime must be > 0: " + lifetime);
      }
    }

    @Override
    public String toString() {
      return "NewSession[<redacted>, lifetime=" + lifetime + "]";
    }
  }

  private final Caller caller;
  private final @Nullable InetAddress clientAddress;
  private final @Nullable String userAgent;
  private final boolean secureTransport;
  private @Nullable NewSession newSession;
  private boolean sessionEnded;

  public RpcContext(
      Caller caller,
      @Nullable InetAddress clientAddress,
      @Nullable String userAgent,
      boolean secureTransport) {
    this.caller = caller;
    this.clientAddress = clientAddress;
    this.userAgent = userAgent;
    this.secureTransport = secureTransport;
  }

  /** A context for calls made inside the process (tests, internal jobs). */
  public static RpcContext internal(Caller caller) {
    return new RpcContext(caller, null, null, false);
  }

  public Caller caller() {
    return caller;
  }

  /** The session that authenticated this call, if a session did (not the local cookie). */
  public Optional<String> sessionId() {
    return caller instanceof Caller.Session s ? Optional.of(s.sessionId()) : Optional.empty();
  }

  public Optional<InetAddress> clientAddress() {
    return Optional.ofNullable(clientAddress);
  }

  public Optional<String> userAgent() {
    return Optional.ofNullable(userAgent);
  }

  /** Whether the call came over TLS, which decides the cookie's {@code Secure} flag. */
  public boolean secureTransport() {
    return secureTransport;
  }

  /** Asks the transport to set the session cookie (a successful login). */
  public void startSession(NewSession session) {
    this.newSession = session;
  }

  /** Asks the transport to clear the session cookie (logout, or every session ended). */
  public void endSession() {
    this.sessionEnded = true;
  }

  public Optional<NewSession> newSession() {
    return Optional.ofNullable(newSession);
  }

  public boolean sessionEnded() {
    return sessionEnded;
  }
}
