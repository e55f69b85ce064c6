package dev.hearth.s9pk.archive;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;

/** The two ways an archive is refused: malformed, or not what was signed. */
final class ArchiveError {
  private ArchiveError() {}

  static StartException malformed(String message) {
    return new StartException(ErrorKind.PARSE_S9PK, message);
  }

  static StartException notSigned(String message) {
    return new StartException(ErrorKind.INVALID_SIGNATURE, message);
  }
}
