package dev.hearth.cli.keys;

import dev.hearth.cli.StartCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a start-cli command line in-process and captures what it printed. */
public record Console(int exitCode, byte[] stdout, String stderr) {
  public String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** With an empty stdin: the test JVM's own stdin is the build tool's, never to be read. */
  public static Console run(String... args) {
    return runWithInput(new byte[0], args);
  }

  public static synchronized Console runWithInput(byte[] stdin, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    System.setIn(new ByteArrayInputStream(stdin));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int code = StartCli.run(args);
      o.flush();
      e.flush();
      return new Console(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(oldIn);
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
