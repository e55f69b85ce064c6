package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's {@code lxc-*} tools on our own LXC path. Every call runs in the daemon's (root) network
 * namespace: LXC's command socket is an abstract Unix socket, so a container started in another
 * namespace would look {@code STOPPED} from here (lab §5).
 */
final class Lxc {
  static final Duration START_LIMIT = Duration.ofSeconds(30); // container-runtime.md §5.1
  private static final Duration QUERY_LIMIT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_BYTES = 64 * 1024; // the last start's lines, at INFO level
  private static final int LOG_LINES = 12; // lines of LXC's log quoted in an error

  /** What {@code lxc-info} says; {@code pid} is 0 unless running. */
  record Info(boolean running, long pid) {}

  private final Path lxcPath;

  Lxc(Path lxcPath) {
    this.lxcPath = lxcPath;
  }

  /**
   * {@code lxc-start -d}, which returns once the container is {@code RUNNING}, and its init's pid.
   *
   * @param monitorPidFile where lxc-start writes its monitor's pid (replaced)
   * @throws StartException ({@link ErrorKind#LXC}) quoting the end of LXC's log if it fails
   */
  Info start(String name, Path logFile, Path monitorPidFile) {
    try {
      Files.deleteIfExists(monitorPidFile); // a pid left by an earlier start would mislead
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot remove " + monitorPidFile, e);
    }
    Command.Result r =
        Command.run(
            ErrorKind.LXC,
            START_LIMIT,
            withContainerUmask(argv("lxc-start", name, "-d", "-p", monitorPidFile.toString())));
    if (!r.ok()) {
      throw new StartException(
          ErrorKind.LXC,
          "lxc-start of container "
              + name
              + " failed (exit "
              + r.exitCode()
              + "): "
              + r.tail()
              + "\n--- end of "
              + logFile
              + ":\n"
              + tail(logFile));
    }
    return started(name, monitorPidFile);
  }

  /**
   * The init of a container that has just started: the only child of LXC's monitor, whose pid
   * {@code lxc-start -p} wrote. Reading two small files spares an {@code lxc-info} (a liblxc tool
   * and two calls on the monitor's command socket, about 10 ms of every start); when they do not
   * say exactly one child, {@code lxc-info} decides as before.
   */
  Info started(String name, Path monitorPidFile) {
    try {
      long monitor = Long.parseLong(Files.readString(monitorPidFile).strip());
      String children =
          Files.readString(Path.of("/proc/" + monitor + "/task/" + monitor + "/children")).strip();
      if (!children.isEmpty() && !children.contains(" ")) {
        return new Info(true, Long.parseLong(children));
      }
    } catch (IOException | NumberFormatException e) {
      // no such file or process: ask LXC
    }
    return info(name);
  }

  Info info(String name) {
    Command.Result r = Command.run(ErrorKind.LXC, QUERY_LIMIT, argv("lxc-info", name, "-s", "-p"));
    if (!r.ok()) {
      return new Info(false, 0); // "does not exist" is as stopped as it gets
    }
    boolean running = false;
    long pid = 0;
    for (String line :
        r.output().split("\n")) { // "State:          RUNNING", "PID:            17502"
      String[] kv = line.split(":\\s*", 2);
      if (kv.length == 2 && kv[0].equals("State")) {
        running = kv[1].strip().equals("RUNNING");
      } else if (kv.length == 2 && kv[0].equals("PID")) {
        pid = Long.parseLong(kv[1].strip());
      }
    }
    return new Info(running && pid > 0, running ? pid : 0);
  }

  /** {@code lxc-stop}: the halt signal, then after {@code grace} a kill. */
  void stop(String name, Duration grace) {
    long seconds = Math.max(1, grace.toSeconds());
    Command.run(
        ErrorKind.LXC,
        grace.plus(QUERY_LIMIT),
        argv("lxc-stop", name, "-t", Long.toString(seconds)));
  }

  /** {@code lxc-stop -k}: kills the init at once (crash clean-up). */
  void kill(String name) {
    Command.run(ErrorKind.LXC, QUERY_LIMIT, argv("lxc-stop", name, "-k"));
  }

  /**
   * An {@code lxc-attach} command line running {@code command} as container root with only {@code
   * env} in its environment. The values travel in the child's environment ({@code --keep-var}),
   * never on a command line that every user of the host can read.
   */
  ProcessBuilder attach(
      String name, List<String> command, Map<String, String> env, Terminal terminal) {
    return attach(name, command, env, terminal, TerminalSize.DEFAULT);
  }

  /** {@link #attach}, on a terminal of {@code size} when {@code terminal} is a pty. */
  ProcessBuilder attach(
      String name,
      List<String> command,
      Map<String, String> env,
      Terminal terminal,
      TerminalSize size) {
    List<String> argv = new ArrayList<>(argv("lxc-attach", name, "--clear-env"));
    for (String key : env.keySet()) {
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("not an environment variable name: \"" + key + "\"");
      }
      argv.add("--keep-var");
      argv.add(key);
    }
    argv.add("--");
    argv.addAll(command);
    if (terminal == Terminal.PTY) {
      // lxc-attach makes a pty inside only when its own stdin is a terminal; script(1) gives it
      // one, sized by stty (lxc-attach gives its inner pty the same size).
      String inner =
          "umask "
              + CONTAINER_UMASK
              + "; stty "
              + String.join(" ", size.stty())
              + " 2>/dev/null; exec "
              + shellQuote(argv);
      argv = List.of("script", "--quiet", "--return", "--command", inner, "/dev/null");
    } else {
      argv = withContainerUmask(argv);
    }
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().clear();
    pb.environment().putAll(Command.ENVIRONMENT);
    pb.environment().putAll(env);
    return pb;
  }

  /**
   * Resizes the terminal of a command {@link #attach}ed on a pty: stty on the terminal script(1)
   * made, whose foreground process (lxc-attach) gets SIGWINCH and resizes its pty inside. Does
   * nothing once the command has ended.
   */
  static void resize(Process attached, TerminalSize size) {
    Optional<String> tty =
        attached
            .descendants()
            .map(h -> {
              try {
                return Files.readSymbolicLink(Path.of("/proc/" + h.pid() + "/fd/0")).toString();
              } catch (IOException e) {
                return "";
              }
            })
            .filter(t -> t.startsWith("/dev/pts/"))
            .findFirst();
    if (tty.isPresent()) {
      List<String> argv = new ArrayList<>(List.of("stty", "-F", tty.get()));
      argv.addAll(List.of(size.stty()));
      Command.run(ErrorKind.LXC, QUERY_LIMIT, argv);
    }
  }

  /** Runs a command in the container and waits for it (our own small chores, never a user's). */
  Command.Result run(String name, List<String> command, Duration limit) {
    List<String> argv = new ArrayList<>(argv("lxc-attach", name, "--clear-env"));
    argv.add("--");
    argv.addAll(command);
    return Command.run(ErrorKind.LXC, limit, argv);
  }

  private List<String> argv(String tool, String name, String... more) {
    List<String> argv = new ArrayList<>(List.of(tool, "-P", lxcPath.toString(), "-n", name));
    argv.addAll(List.of(more));
    return argv;
  }

  /**
   * The file-creation mask of what runs in a container: the usual one. The daemon's is 077 (nothing
   * of its own is readable by others), which a container and what is attached to it would inherit.
   */
  static final String CONTAINER_UMASK = "022";

  /** {@code argv}, run with {@link #CONTAINER_UMASK}. */
  static List<String> withContainerUmask(List<String> argv) {
    List<String> out =
        new ArrayList<>(List.of("sh", "-c", "umask " + CONTAINER_UMASK + " && exec \"$@\"", "sh"));
    out.addAll(argv);
    return out;
  }

  static String shellQuote(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (!b.isEmpty()) {
        b.append(' ');
      }
      b.append('\'').append(a.replace("'", "'\\''")).append('\'');
    }
    return b.toString();
  }

  /**
   * What LXC's log says went wrong: its ERROR lines from the end of the log (the last start), or
   * its last lines if there are none; or why there is no log.
   */
  static String tail(Path logFile) {
    if (!Files.exists(logFile)) {
      return "(no LXC log at " + logFile + ")";
    }
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
      byte[] b = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(b);
      List<String> lines =
          new String(b, StandardCharsets.UTF_8).lines().skip(start > 0 ? 1 : 0).toList();
      List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
      List<String> shown = errors.isEmpty() ? lines : errors;
      return String.join("\n", shown.subList(Math.max(0, shown.size() - LOG_LINES), shown.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }
}
