package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void terminalSizesAreRowsAndColumnsWithinBounds() {
    assertThat(TerminalSize.parse("40:120")).isEqualTo(new TerminalSize(40, 120));
    assertThat(TerminalSize.parse("40:120:800:600")).isEqualTo(new TerminalSize(40, 120));
    for (String bad : List.of("", "40", "40x120", "0:80", "24:70000", "-1:80", "24:80:1")) {
      assertThatThrownBy(() -> TerminalSize.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void attachPassesValuesThroughTheEnvironmentAndQuotesForThePtyShell() {
    Lxc lxc = new Lxc(Path.of("/var/lib/hearth/lxc"));
    ProcessBuilder pipes =
        lxc.attach("svc", List.of("echo", "it's"), Map.of("TOKEN", "secret"), Terminal.PIPES);
    assertThat(pipes.command())
        .containsExactly(
            "sh",
            "-c",
            "umask 022 && exec \"$@\"",
            "sh",
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
    assertThat(pty.command().get(4))
        .startsWith("umask 022; stty rows 24 cols 80 2>/dev/null; exec 'lxc-attach'")
        .endsWith("'--' 'echo' 'it'\\''s'");
    ProcessBuilder sized =
        lxc.attach("svc", List.of("sh"), Map.of(), Terminal.PTY, new TerminalSize(50, 132));
    assertThat(sized.command().get(4))
        .startsWith("umask 022; stty rows 50 cols 132 2>/dev/null; exec ");
  }
}
