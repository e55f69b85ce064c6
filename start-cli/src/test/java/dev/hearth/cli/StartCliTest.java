package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which branch of the command tree a command line builds. */
class StartCliTest {
  @Test
  void theCommandIsTheFirstWordThatIsNoGlobalOptionOrItsValue() {
    assertThat(StartCli.commandName("package", "list")).isEqualTo("package");
    assertThat(StartCli.commandName("-H", "http://x", "--format", "json", "echo", "hi"))
        .isEqualTo("echo");
    assertThat(StartCli.commandName("--host=http://x", "-c", "cfg.yaml", "server", "time"))
        .isEqualTo("server");
    assertThat(StartCli.commandName("--help")).isNull();
    assertThat(StartCli.commandName("-H", "package")).isNull();
    assertThat(StartCli.commandName("--", "package")).isNull();
  }

  @Test
  void aCommandLineBuildsOnlyTheBranchItNames() {
    assertThat(StartCli.commandLine("-H", "http://x", "package", "list").getSubcommands())
        .containsOnlyKeys("package");
    assertThat(StartCli.commandLine("init-key").getSubcommands())
        .containsOnlyKeys("init", "init-key");
    // Usage and a mistyped command (whose suggestions need every name) get the whole tree.
    assertThat(StartCli.commandLine("--help").getSubcommands())
        .containsKeys("echo", "package", "notification", "server", "s9pk", "util");
    assertThat(StartCli.commandLine("pakage", "list").getSubcommands().keySet())
        .isEqualTo(StartCli.commandLine().getSubcommands().keySet());
  }

  @Test
  void aGlobalOptionAfterTheCommandStillApplies() {
    var cli = StartCli.commandLine("echo", "hi", "--format", "json");
    cli.parseArgs("echo", "hi", "--format", "json");
    assertThat(((StartCli) cli.getCommand()).globals.format(OutputFormat.table))
        .isEqualTo(OutputFormat.json);
  }
}
