package dev.hearth.jsonrpc;

/** Who may call a method: declared on the method, checked by the tree before the handler runs. */
public enum Access {
  /** Anyone, without credentials ({@code echo}, {@code auth.login}, setup methods). */
  PUBLIC,
  /** A logged-in session, the on-box CLI (local cookie) or a registered signer. */
  AUTHENTICATED,
  /** Only the on-box CLI, authenticated by the local cookie (for methods that need root). */
  LOCAL
}
