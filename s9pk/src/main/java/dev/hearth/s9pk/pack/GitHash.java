package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code git rev-parse HEAD}, suffixed {@code -modified} when tracked files changed (§11.1). */
final class GitHash {
  private GitHash() {}

  /** Empty outside a git work tree, without commits, or without git. */
  static Optional<String> of(Path dir) {
    try {
      ExternalTool.Result head =
          ExternalTool.runAllowingFailure(ErrorKind.GIT, dir, List.of("git", "rev-parse", "HEAD"));
      if (head.exitCode() != 0) {
        return Optional.empty();
      }
      ExternalTool.Result status =
          ExternalTool.runAllowingFailure(
              ErrorKind.GIT, dir, List.of("git", "status", "--porcelain", "--untracked-files=no"));
      String hash = head.stdoutText().strip();
      boolean dirty = status.exitCode() != 0 || !status.stdoutText().isBlank();
      return Optional.of(dirty ? hash + "-modified" : hash);
    } catch (dev.hearth.error.StartException e) {
      return Optional.empty(); // no git on this machine: upstream packs with a null gitHash too
    }
  }
}
