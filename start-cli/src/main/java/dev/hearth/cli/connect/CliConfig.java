package dev.hearth.cli.connect;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The CLI's config file ({@code -c}, default {@code ~/.startos/config.yaml}): flat {@code key:
 * value} lines, the subset of YAML upstream's config uses for these keys.
 *
 * <pre>
 * host: http://my-server.local        the server to talk to
 * run-dir: /run/startos               where the local daemon writes its cookie and URL
 * cookie-path: ~/.startos/.cookies.json
 * ca: ~/.startos/root-ca.crt          the server's Root CA (PEM), trusted for https
 * </pre>
 */
public record CliConfig(Map<String, String> values) {
  public CliConfig {
    values = Map.copyOf(values);
  }

  /**
   * Reads {@code file}; a missing default file is an empty config, a missing given one an error.
   */
  public static CliConfig load(@Nullable Path given, Path home) {
    Path file = given != null ? given : home.resolve(".startos").resolve("config.yaml");
    if (!Files.exists(file)) {
      if (given != null) {
        throw new StartException(ErrorKind.NOT_FOUND, "no config file " + file);
      }
      return new CliConfig(Map.of());
    }
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int colon = trimmed.indexOf(':');
        if (colon <= 0) {
          throw new StartException(
              ErrorKind.DESERIALIZATION,
              file + ": expected `key: value`, found \"" + trimmed + "\"");
        }
        String value = trimmed.substring(colon + 1).strip();
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\""))) {
          value = value.substring(1, value.length() - 1);
        }
        out.put(trimmed.substring(0, colon).strip(), value);
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file, e);
    }
    return new CliConfig(out);
  }

  public @Nullable String get(String key) {
    return values.get(key);
  }
}
