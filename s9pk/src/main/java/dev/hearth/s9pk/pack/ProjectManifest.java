package dev.hearth.s9pk.pack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ManifestJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The manifest of a project, read as upstream reads it: {@code node} loads the built bundle and
 * prints {@code require('<javascript>/index.js').manifest} as JSON.
 */
final class ProjectManifest {
  private static final String SCRIPT =
      "const m = require(process.argv[1]).manifest;"
          + "if (m === undefined) { console.error('the bundle exports no manifest'); process.exit(3); }"
          + "process.stdout.write(JSON.stringify(m));";

  private ProjectManifest() {}

  /** The manifest as JSON, or empty if the bundle has not been built yet. */
  static Optional<JsonNode> readIfBuilt(Path projectDir, Path javascriptDir) {
    Path index = projectDir.resolve(javascriptDir).resolve("index.js").toAbsolutePath().normalize();
    if (!Files.isRegularFile(index)) {
      return Optional.empty();
    }
    byte[] json =
        ExternalTool.run(
            ErrorKind.PACK, projectDir, List.of("node", "-e", SCRIPT, index.toString()));
    try {
      return Optional.of(ManifestJson.mapper().readTree(json));
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.PACK, "node printed a manifest that is not JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode read(Path projectDir, Path javascriptDir) {
    return readIfBuilt(projectDir, javascriptDir)
        .orElseThrow(() ->
            new StartException(
                ErrorKind.PACK,
                "no "
                    + javascriptDir.resolve("index.js")
                    + " in "
                    + projectDir
                    + ": build the JavaScript first (npm run build)"));
  }
}
