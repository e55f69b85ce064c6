package dev.hearth.cli.service;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * This process's terminal during an interactive attach: its size, raw mode for the session (keys go
 * to the remote command as typed, and it echoes), and its resizes. Through {@code stty} on {@code
 * /dev/tty}, so no native code; the settings are put back on close and at exit.
 */
final class LocalTerminal implements AutoCloseable {
  /** A size in characters. */
  record Size(int rows, int cols) {}

  private final String saved;
  private @Nullable Thread restoreAtExit;
  private boolean restored;

  private LocalTerminal(String saved) {
    this.saved = saved;
  }

  /** Whether stdin and stdout are a terminal. */
  static boolean interactive() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  static LocalTerminal open() {
    return new LocalTerminal(stty("-g").trim());
  }

  /** The size now; null if the terminal does not say. */
  @Nullable Size size() {
    String[] rowsCols = stty("size").trim().split("\\s+");
    try {
      int rows = Integer.parseInt(rowsCols[0]);
      int cols = Integer.parseInt(rowsCols[1]);
      return rows > 0 && cols > 0 ? new Size(rows, cols) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  synchronized void raw() {
    restoreAtExit = new Thread(this::close, "terminal-restore");
    Runtime.getRuntime().addShutdownHook(restoreAtExit);
    stty("raw", "-echo");
  }

  /** Calls {@code listener} with the new size on every SIGWINCH, where the JVM can catch it. */
  @SuppressWarnings("removal") // sun.misc.Signal: the only way to see SIGWINCH from Java
  void onResize(Consumer<Size> listener) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("WINCH"),
          signal -> {
            Size now = size();
            if (now != null) {
              listener.accept(now);
            }
          });
    } catch (IllegalArgumentException e) {
      // no SIGWINCH here: the remote terminal keeps its first size
    }
  }

  @Override
  public synchronized void close() {
    if (restored) {
      return;
    }
    restored = true;
    stty(saved);
    Thread hook = restoreAtExit;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already exiting
      }
    }
  }

  private static String stty(String... args) {
    var command = new ArrayList<>(List.of("stty"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(new File("/dev/tty"))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
