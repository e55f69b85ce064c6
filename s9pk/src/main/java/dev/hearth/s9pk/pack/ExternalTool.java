package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a program to completion and returns its stdout; a failure names the program and says why.
 */
final class ExternalTool {
  /** What a finished program printed and how it exited. */
  record Result(int exitCode, byte[] stdout, String stderr) {
    String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  private ExternalTool() {}

  /** Runs and requires exit code 0. */
  static byte[] run(ErrorKind kind, Path workdir, List<String> command) {
    Result r = runAllowingFailure(kind, workdir, command);
    if (r.exitCode() != 0) {
      String err = r.stderr().strip();
      throw new StartException(
          kind,
          command.getFirst()
              + " exited with "
              + r.exitCode()
              + (err.isEmpty() ? "" : ": " + tail(err)));
    }
    return r.stdout();
  }

  static Result runAllowingFailure(ErrorKind kind, Path workdir, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workdir.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new StartException(
          kind, "cannot run " + command.getFirst() + " (is it installed?): " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      byte[] out = p.getInputStream().readAllBytes();
      int code = p.waitFor();
      return new Result(code, out, new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new StartException(kind, "reading from " + command.getFirst() + " failed: " + e, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, command.getFirst() + " was interrupted", e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(() -> {
          ByteArrayOutputStream buf = new ByteArrayOutputStream();
          try (in) {
            in.transferTo(buf);
          } catch (IOException e) {
            buf.writeBytes(("\n(" + e + ")").getBytes(StandardCharsets.UTF_8));
          }
          f.complete(buf.toByteArray());
        });
    return f;
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - 5);
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
  }
}
