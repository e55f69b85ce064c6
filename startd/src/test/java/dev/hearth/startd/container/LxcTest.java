package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LxcTest {
  @TempDir Path dir;

  @Test
  void anErrorQuotesLxcsErrorLinesOrElseItsLastLines() throws Exception {
    Path log = dir.resolve("lxc.log");
    Files.writeString(
        log,
        """
        lxc-start c 1 INFO     conf - set up
        lxc-start c 2 ERROR    start - Permission denied - Failed to exec "/usr/lib/startos/init/boot"
        lxc-start c 3 WARN     network - Failed to remove interface
        lxc-start c 4 ERROR    lxccontainer - Received container state "ABORTING" instead of "RUNNING"
        """);
    assertThat(Lxc.tail(log).lines())
        .containsExactly(
            "lxc-start c 2 ERROR    start - Permission denied - Failed to exec \"/usr/lib/startos/init/boot\"",
            "lxc-start c 4 ERROR    lxccontainer - Received container state \"ABORTING\" instead of \"RUNNING\"");
    Files.writeString(log, "lxc-start c 1 INFO one\nlxc-start c 2 INFO two\n");
    assertThat(Lxc.tail(log)).isEqualTo("lxc-start c 1 INFO one\nlxc-start c 2 INFO two");
    assertThat(Lxc.tail(dir.resolve("none"))).startsWith("(no LXC log at");
  }

  @Test
  void attachPassesValuesThroughTheEnvironmentAndQuotesForThePtyShell() {
    Lxc lxc = new Lxc(Path.of("/var/lib/hearth/lxc"));
    ProcessBuilder pipes =
        lxc.attach("svc", List.of("echo", "it's"), Map.of("TOKEN", "secret"), Terminal.PIPES);
    assertThat(pipes.command())
        .containsExactly(
            "lxc-attach",
            "-P",
            "/var/lib/hearth/lxc",
            "-n",
            "svc",
            "--clear-env",
            "--keep-var",
            "TOKEN",
            "--",
            "echo",
            "it's");
    assertThat(pipes.environment()).containsEntry("TOKEN", "secret").doesNotContainKey("HOME");
    ProcessBuilder pty = lxc.attach("svc", List.of("echo", "it's"), Map.of(), Terminal.PTY);
    assertThat(pty.command().subList(0, 4))
        .containsExactly("script", "--quiet", "--return", "--command");
    assertThat(pty.command().get(4)).endsWith("'--' 'echo' 'it'\\''s'");
  }
}
