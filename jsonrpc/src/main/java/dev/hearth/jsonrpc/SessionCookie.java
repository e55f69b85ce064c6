package dev.hearth.jsonrpc;

/**
 * The name of the session cookie (rpc.md §2.2), which depends on the transport. Over TLS it is
 * {@code __Host-session}: a browser accepts a cookie of that name only with {@code Secure}, {@code
 * Path=/} and no {@code Domain}, from a secure origin, so a page on plain HTTP or on another name
 * cannot plant one. Over plain HTTP that promise cannot hold (browsers refuse the prefix there),
 * and the name stays upstream's {@code session}. Servers set and read only the name of the
 * request's transport; clients send the one for their URL.
 */
public final class SessionCookie {
  public static final String PLAIN = "session";
  public static final String SECURE = "__Host-session";

  private SessionCookie() {}

  /** The cookie's name on a connection that is, or is not, TLS. */
  public static String name(boolean secure) {
    return secure ? SECURE : PLAIN;
  }
}
