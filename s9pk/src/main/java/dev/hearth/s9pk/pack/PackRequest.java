package dev.hearth.s9pk.pack;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code start-cli s9pk pack} was asked for; relative paths are from {@code projectDir}.
 *
 * @param output the package file; empty means {@code <id>.s9pk} in the project
 * @param javascript the built bundle's directory (holds {@code index.js})
 * @param icon the icon; empty means the one {@code icon.<image extension>} in the project
 * @param assets the assets directory; empty means {@code assets} if it exists
 * @param arch build only this architecture's images (and validate for it)
 */
public record PackRequest(
    Path projectDir,
    Optional<Path> output,
    Path javascript,
    Optional<Path> icon,
    Optional<Path> license,
    Path instructions,
    Optional<Path> assets,
    Assets assetsMode,
    Optional<String> arch) {
  /** Whether to pack an assets directory. */
  public enum Assets {
    INCLUDE,
    NONE
  }

  /** Upstream's defaults for a project in {@code dir}. */
  public static PackRequest defaults(Path dir) {
    return new PackRequest(
        dir,
        Optional.empty(),
        Path.of("javascript"),
        Optional.empty(),
        Optional.empty(),
        Path.of("instructions.md"),
        Optional.empty(),
        Assets.INCLUDE,
        Optional.empty());
  }

  Path resolve(Path p) {
    return projectDir.resolve(p).normalize();
  }
}
