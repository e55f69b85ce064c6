package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host program ({@code lxc-*}, {@code mount}, {@code ip}) and waits for it, within a time
 * limit. Output goes to a temporary file rather than a pipe: {@code lxc-start -d} leaves a daemon
 * behind that could hold a pipe open forever. The environment is fixed, so that the daemon's own (a
 * {@code NODE_OPTIONS}, a locale) never reaches LXC or a container.
 */
final class Command {
  /** The only environment our children see. */
  static final Map<String, String> ENVIRONMENT =
      Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");

  private static final int OUTPUT_TAIL = 2000; // characters of output kept in an error message

  /** What a finished program left. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The end of the output, for error messages. */
    String tail() {
      String t = output.strip();
      return t.length() <= OUTPUT_TAIL ? t : "…" + t.substring(t.length() - OUTPUT_TAIL);
    }
  }

  private Command() {}

  /**
   * Runs {@code argv} with stdout and stderr merged.
   *
   * @throws StartException of {@code kind} if it cannot start, or ({@link ErrorKind#TIMEOUT}) if it
   *     has not finished within {@code limit}; it is then killed
   */
  static Result run(ErrorKind kind, Duration limit, List<String> argv) {
    Path out = null;
    try {
      out = Files.createTempFile("hearth-cmd", ".out");
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.redirectOutput(out.toFile());
      pb.environment().clear();
      pb.environment().putAll(ENVIRONMENT);
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new StartException(
            ErrorKind.TIMEOUT,
            String.join(" ", argv) + " did not finish within " + limit.toMillis() + " ms");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new StartException(kind, "cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted running " + argv.getFirst(), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a stray temporary file is harmless
        }
      }
    }
  }

  /**
   * Runs {@code argv} and requires exit code 0.
   *
   * @throws StartException of {@code kind} naming {@code what} and quoting the output otherwise
   */
  static Result require(ErrorKind kind, Duration limit, String what, List<String> argv) {
    Result r = run(kind, limit, argv);
    if (!r.ok()) {
      throw new StartException(
          kind, what + " failed (exit " + r.exitCode() + ", " + argv.getFirst() + "): " + r.tail());
    }
    return r;
  }
}
