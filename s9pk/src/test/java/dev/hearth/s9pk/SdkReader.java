package dev.hearth.s9pk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The official SDK's s9pk reader ({@code S9pk.deserialize} from {@code @start9labs/start-sdk}),
 * installed once with {@code npm ci} from the committed fixture into {@code target/sdk-reader} and
 * run with {@code node}.
 */
public final class SdkReader {
  private static final Path FIXTURE = Path.of("src/test/sdk-reader");
  private static final Path HOME = Path.of("target/sdk-reader").toAbsolutePath();

  /** What {@code node read-s9pk.cjs} said: its JSON on success, its error text otherwise. */
  public record Result(int exitCode, String stdout, String stderr) {
    public JsonNode json() throws IOException {
      return new ObjectMapper().readTree(stdout);
    }
  }

  private SdkReader() {}

  /** Installs the fixture unless the same lock file is already installed. */
  static synchronized Path install() throws IOException, InterruptedException {
    Files.createDirectories(HOME);
    byte[] lock = Files.readAllBytes(FIXTURE.resolve("package-lock.json"));
    Path stamp = HOME.resolve("node_modules/.hearth-installed-lock");
    for (String f : List.of("package.json", "package-lock.json", "read-s9pk.cjs")) {
      Files.copy(FIXTURE.resolve(f), HOME.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.exists(stamp) && java.util.Arrays.equals(Files.readAllBytes(stamp), lock)) {
      return HOME;
    }
    Process p =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("npm ci of the SDK reader fixture failed:\n" + out);
    }
    Files.write(stamp, lock);
    return HOME;
  }

  public static Result read(Path s9pk) throws IOException, InterruptedException {
    Path home = install();
    Process p =
        new ProcessBuilder("node", "read-s9pk.cjs", s9pk.toAbsolutePath().toString())
            .directory(home.toFile())
            .start();
    var err = p.getErrorStream();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), stdout, stderr);
  }
}
