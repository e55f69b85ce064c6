package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which part of the command tree a command line builds, and that the parts make the whole. */
class CommandTreeTest {
  @Test
  void theWordsAreWhatIsNeitherAnOptionNorAGlobalOptionsValue() {
    assertThat(CommandTree.words("-H", "http://x", "--format", "json", "package", "list"))
        .containsExactly("package", "list");
    assertThat(CommandTree.words("--host=http://x", "-c", "cfg.yaml", "server", "time", "-v"))
        .containsExactly("server", "time");
    assertThat(CommandTree.words("-H", "package")).isEmpty();
    assertThat(CommandTree.words("--", "package")).isEmpty();
  }

  @Test
  void aCommandLineBuildsOnlyThePathItNames() {
    CommandLine cli = StartCli.commandLine("-H", "http://x", "package", "action", "run", "a", "b");
    assertThat(cli.getSubcommands()).containsOnlyKeys("package");
    CommandLine pkg = cli.getSubcommands().get("package");
    assertThat(pkg.getSubcommands()).containsOnlyKeys("action");
    assertThat(pkg.getSubcommands().get("action").getSubcommands()).containsOnlyKeys("run");
    assertThat(StartCli.commandLine("init-key").getSubcommands())
        .containsOnlyKeys("init", "init-key");
  }

  @Test
  void whereTheWordsStopNamingCommandsTheGroupIsComplete() {
    // A group's own positional (the package file of s9pk inspect), usage, a mistyped name.
    CommandLine inspect =
        StartCli.commandLine("s9pk", "inspect", "x.s9pk", "manifest")
            .getSubcommands()
            .get("s9pk")
            .getSubcommands()
            .get("inspect");
    assertThat(inspect.getSubcommands()).containsKeys("manifest", "file-tree", "cat");
    assertThat(StartCli.commandLine("--help").getSubcommands().keySet())
        .isEqualTo(StartCli.commandLine().getSubcommands().keySet());
    assertThat(StartCli.commandLine("pakage", "list").getSubcommands().keySet())
        .isEqualTo(StartCli.commandLine().getSubcommands().keySet());
    assertThat(
            StartCli.commandLine("package", "lst").getSubcommands().get("package").getSubcommands())
        .containsKeys("list", "install", "start", "action");
  }

  @Test
  void whereTheWordsStopOnlyTheGroupsOwnSubcommandsAreAdded() {
    // The usage lists those, and a mistyped name's suggestions compare those: not their children.
    CommandLine top = StartCli.commandLine("--help");
    assertThat(top.getSubcommands().get("package").getSubcommands()).isEmpty();
    CommandLine pkg = StartCli.commandLine("package").getSubcommands().get("package");
    assertThat(pkg.getSubcommands()).containsKeys("list", "action");
    assertThat(pkg.getSubcommands().get("action").getSubcommands()).isEmpty();
  }

  @Test
  void everyCommandAnswersHelpWithItsOwnUsage() {
    CommandLine whole = StartCli.commandLine();
    List<List<String>> paths = new ArrayList<>();
    collect(whole, new ArrayList<>(), paths);
    paths.add(List.of());
    for (List<String> path : paths) {
      // A group's own positional (s9pk inspect's and edit's package file) precedes its commands.
      List<String> words = new ArrayList<>();
      CommandLine node = whole;
      for (int i = 0; i < path.size(); i++) {
        words.add(path.get(i));
        node = node.getSubcommands().get(path.get(i));
        if (i < path.size() - 1 && !node.getCommandSpec().positionalParameters().isEmpty()) {
          words.add("x.s9pk");
        }
      }
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(words);
        args.add(flag);
        CommandLine cli = StartCli.commandLine(args.toArray(String[]::new));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        cli.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertThat(cli.execute(args.toArray(String[]::new))).as("%s", args).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
            .as("%s", args)
            .startsWith(("Usage: start-cli " + String.join(" ", path)).strip() + " ");
        assertThat(err.toString(StandardCharsets.UTF_8)).as("%s", args).isEmpty();
      }
    }
  }

  @Test
  void everyPathOfTheWholeTreeIsBuiltTheSameForItsOwnWords() {
    List<List<String>> paths = new ArrayList<>();
    collect(StartCli.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(60);
    for (List<String> path : paths) {
      CommandLine cli = StartCli.commandLine(path.toArray(String[]::new));
      for (String name : path) {
        assertThat(cli.getSubcommands()).as("%s in %s", name, path).containsKey(name);
        cli = cli.getSubcommands().get(name);
      }
    }
  }

  @Test
  void onlyACommandThatCallsTheServerIsOne() {
    assertThat(CommandTree.callsServer("-H", "https://x", "echo", "hi")).isTrue();
    assertThat(CommandTree.callsServer("package", "list", "--format", "json")).isTrue();
    assertThat(CommandTree.callsServer("s9pk", "pack")).as("works on files").isFalse();
    assertThat(CommandTree.callsServer("package")).as("a group: usage").isFalse();
    assertThat(CommandTree.callsServer("--help")).isFalse();
    assertThat(CommandTree.callsServer("pakage", "list")).as("a mistyped name").isFalse();
  }

  @Test
  void noCommandLooksForMethodSubcommands() {
    // Looking reads the annotations of every method, Object's too: two more annotation proxy
    // classes generated at each start, for subcommands that are never methods here.
    List<List<String>> paths = new ArrayList<>();
    collect(StartCli.commandLine(), new ArrayList<>(), paths);
    for (List<String> path : paths) {
      CommandLine cli = StartCli.commandLine(path.toArray(String[]::new));
      assertThat(cli.getCommandSpec().isAddMethodSubcommands()).as("start-cli").isFalse();
      for (String name : path) {
        cli = cli.getSubcommands().get(name);
        assertThat(cli.getCommandSpec().isAddMethodSubcommands()).as("%s", path).isFalse();
        cli.getCommandSpec()
            .mixins()
            .forEach((mixin, spec) ->
                assertThat(spec.isAddMethodSubcommands()).as("%s in %s", mixin, path).isFalse());
      }
    }
  }

  @Test
  void noArgumentsPrintsEveryCommand() {
    var out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      StartCli.run(new String[0]);
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("package", "notification", "s9pk");
  }

  @Test
  void aGlobalOptionAfterTheCommandStillApplies() {
    var cli = StartCli.commandLine("echo", "hi", "--format", "json");
    cli.parseArgs("echo", "hi", "--format", "json");
    assertThat(((StartCli) cli.getCommand()).globals.format(OutputFormat.table))
        .isEqualTo(OutputFormat.json);
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> paths) {
    cli.getSubcommands()
        .forEach((name, sub) -> {
          if (!sub.getCommandName().equals(name)) {
            return; // an alias
          }
          List<String> p = new ArrayList<>(path);
          p.add(name);
          paths.add(p);
          collect(sub, p, paths);
        });
  }
}
