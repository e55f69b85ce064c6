package dev.hearth.exver;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.Serial;

/**
 * Text that is not a valid version, extended version or range. The message quotes the input and
 * points at the offending position (0-based), e.g. {@code invalid version range ">=1.x": expected a
 * number at position 4}.
 */
public final class VersionParseException extends StartException {
  @Serial private static final long serialVersionUID = 1L;

  private final String input;
  private final int position;

  VersionParseException(String what, String input, int position, String expected) {
    super(ErrorKind.PARSE_VERSION, describe(what, input, position, expected));
    this.input = input;
    this.position = position;
  }

  private static String describe(String what, String input, int position, String expected) {
    String found =
        position < input.length() ? "'" + input.charAt(position) + "'" : "the end of the text";
    return "invalid "
        + what
        + " \""
        + input
        + "\": expected "
        + expected
        + " at position "
        + position
        + ", found "
        + found;
  }

  /** The text that failed to parse. */
  public String input() {
    return input;
  }

  /** The 0-based index of the first character that does not fit. */
  public int position() {
    return position;
  }
}
