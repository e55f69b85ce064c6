package dev.hearth.jsonrpc;

import java.util.Objects;

/** Who is calling, as the transport established it before dispatch (rpc.md §2.1). */
public sealed interface Caller {
  /** No credentials, or credentials that did not check out. */
  record Anonymous() implements Caller {}

  /** The CLI on the same machine, through the local auth cookie. */
  record Local() implements Caller {}

  /**
   * A logged-in session.
   *
   * @param sessionId the session's id (the hash of its token, never the token itself)
   */
  record Session(String sessionId) implements Caller {
    public Session {
      Objects.requireNonNull(sessionId, "sessionId");
    }

    @Override
    public String toString() {
      return "Session[" + sessionId.substring(0, Math.min(6, sessionId.length())) + "…]";
    }
  }

  /** A request signed by a registered key ({@code X-StartOS-Auth-Sig}). */
  record Signer(String publicKeyPem) implements Caller {}

  Caller ANONYMOUS = new Anonymous();
  Caller LOCAL = new Local();

  default boolean isAuthenticated() {
    return !(this instanceof Anonymous);
  }
}
