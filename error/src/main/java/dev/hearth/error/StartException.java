package dev.hearth.error;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type that crosses subsystem and RPC boundaries. Its {@link ErrorKind} decides
 * the JSON-RPC error code; its message is the human detail ({@code data.details} on the wire) and
 * must name the thing and the rule it broke. It never carries a secret: messages and {@link
 * #info()} are shown to clients and written to logs.
 *
 * <p>Library exceptions are translated into this where they enter our code, keeping the cause.
 * Outcomes a caller must branch on are values, not exceptions.
 */
public class StartException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final transient @Nullable Object info;

  public StartException(ErrorKind kind, String message) {
    this(kind, message, null, null);
  }

  public StartException(ErrorKind kind, String message, @Nullable Throwable cause) {
    this(kind, message, null, cause);
  }

  /**
   * @param info structured detail for clients ({@code data.info} on the wire); must be a value
   *     Jackson can serialize, such as a record
   */
  public StartException(
      ErrorKind kind, String message, @Nullable Object info, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.info = info;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** Structured detail for clients, or null. */
  public @Nullable Object info() {
    return info;
  }

  @Override
  public String toString() {
    return kind + " (" + kind.code + "): " + getMessage();
  }
}
