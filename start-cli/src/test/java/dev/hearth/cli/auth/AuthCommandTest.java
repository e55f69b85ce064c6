package dev.hearth.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.keys.Console;
import dev.hearth.cli.rpc.FakeStartd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start-cli auth session kill}: by id, or every session with {@code --all}. */
class AuthCommandTest {
  @TempDir Path dir;
  FakeStartd startd;

  @BeforeEach
  void start() throws Exception {
    startd = FakeStartd.start();
  }

  @AfterEach
  void stop() throws Exception {
    startd.close();
  }

  private Console cli(String... args) throws Exception {
    return Console.run(startd.commandLine(dir, args));
  }

  private java.util.List<String> methods() {
    return startd.calls().stream().map(FakeStartd.Call::method).toList();
  }

  @Test
  void killAllEndsEverySessionAndForgetsTheOneThisCliKept() throws Exception {
    Path jar = dir.resolve("cookies.json");
    Files.writeString(jar, "{\"" + startd.url() + "\":\"sometoken\"}");
    Console c = cli("auth", "session", "kill", "--all");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(methods()).containsExactly("auth.session.kill-all");
    assertThat(Files.readString(jar)).doesNotContain("sometoken");
    assertThat(c.out()).isEqualTo("Every session of " + startd.url() + " has ended\n");
  }

  @Test
  void killTakesIdsOrAllButNotBothOrNeither() throws Exception {
    Console ids = cli("auth", "session", "kill", "abc", "def");
    assertThat(ids.exitCode()).as(ids.stderr()).isZero();
    assertThat(startd.params("auth.session.kill").toString())
        .isEqualTo("{\"ids\":[\"abc\",\"def\"]}");
    for (String[] args :
        new String[][] {{"auth", "session", "kill"}, {"auth", "session", "kill", "--all", "abc"}}) {
      Console refused = cli(args);
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr()).contains("give session ids or --all, not both and not neither");
    }
    assertThat(methods()).containsExactly("auth.session.kill");
  }
}
