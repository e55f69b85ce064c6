package dev.hearth.cli.connect;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server a command line names and its trust anchor, with the config file they came from: the
 * {@code --host} option, else the config's {@code host}, else the URL the local {@code startd}
 * wrote into its run directory; the {@code --ca} option, else the config's {@code ca}.
 */
record Endpoint(URI url, Optional<Path> ca, CliConfig config, Path runDir, Path home) {
  private static final String DEFAULT_RUN_DIR = "/run/startos";

  static Endpoint of(@Nullable String hostOption, @Nullable Path config, @Nullable Path ca) {
    Path home = Path.of(System.getProperty("user.home"));
    CliConfig cfg = CliConfig.load(config, home);
    String dir = cfg.get("run-dir");
    Path runDir = Path.of(dir == null ? DEFAULT_RUN_DIR : dir);
    String host = hostOption;
    if (host == null) {
      host = cfg.get("host");
    }
    if (host == null) {
      host = readFirstLine(runDir.resolve("startd.url")).orElse("http://localhost");
    }
    URI url = URI.create(host.contains("://") ? host : "http://" + host);
    Optional<Path> trusted =
        ca != null
            ? Optional.of(ca)
            : Optional.ofNullable(cfg.get("ca")).map(c -> Path.of(expandHome(c, home)));
    return new Endpoint(url, trusted, cfg, runDir, home);
  }

  static Optional<String> readFirstLine(Path file) {
    try {
      return Files.isReadable(file)
          ? Files.readAllLines(file).stream()
              .findFirst()
              .map(String::strip)
              .filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String expandHome(String path, Path home) {
    return path.startsWith("~/") ? home.resolve(path.substring(2)).toString() : path;
  }
}
