package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The command models made at build time are the ones picocli reads from the annotations. */
class CommandSpecsTest {
  private final CommandSpecs generated = CommandSpecs.generated();

  @Test
  void theBuildMadeAModelForEveryCommandWithoutAnArgGroup() {
    assertThat(generated).isNotSameAs(CommandSpecs.REFLECTIVE);
    List<CommandLine> all = new ArrayList<>();
    collect(CommandTree.whole(CommandSpecs.REFLECTIVE), all);
    assertThat(all).hasSizeGreaterThan(60);
    int reflective = 0;
    for (CommandLine cli : all) {
      CommandSpec spec = cli.getCommandSpec();
      Class<?> type = spec.userObject().getClass();
      if (spec.argGroups().isEmpty()) {
        assertThat(generated.create(type)).as("%s", type).isNotNull();
        List<String> names = new ArrayList<>(List.of(spec.name()));
        names.addAll(Arrays.asList(spec.aliases()));
        assertThat(generated.names(type)).as("%s", type).isEqualTo(names);
      } else {
        reflective++;
        assertThat(generated.create(type)).as("%s", type).isNull();
      }
    }
    assertThat(reflective).as("package action run, which has an @ArgGroup").isEqualTo(1);
  }

  @Test
  void everyGeneratedModelDescribesItsCommandAsTheAnnotationsDo() {
    compare(CommandTree.whole(CommandSpecs.REFLECTIVE), CommandTree.whole(generated));
  }

  @Test
  void aGeneratedModelFillsTheFieldsOfItsCommand() throws ReflectiveOperationException {
    CommandLine cli = StartCli.commandLine("s9pk", "inspect", "x.s9pk", "cat", "manifest.json");
    cli.parseArgs("--format", "json", "s9pk", "inspect", "x.s9pk", "cat", "manifest.json");
    assertThat(((StartCli) cli.getCommand()).globals.format(OutputFormat.table))
        .isEqualTo(OutputFormat.json);
    CommandLine inspect = cli.getSubcommands().get("s9pk").getSubcommands().get("inspect");
    Object cat = inspect.getSubcommands().get("cat").getCommand();
    assertThat(field(inspect.getCommand(), "file").toString()).isEqualTo("x.s9pk");
    assertThat(field(inspect.getCommand(), "spec")).isSameAs(inspect.getCommandSpec());
    assertThat(field(cat, "parent")).as("@ParentCommand").isSameAs(inspect.getCommand());
    assertThat(field(cat, "path")).isEqualTo("manifest.json");
  }

  private static String version(CommandLine cli) {
    var out = new java.io.ByteArrayOutputStream();
    cli.printVersionHelp(
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }

  private static void compare(CommandLine reflective, CommandLine generated) {
    CommandSpec r = reflective.getCommandSpec();
    CommandSpec g = generated.getCommandSpec();
    String where = r.qualifiedName();
    assertThat(g.userObject().getClass()).as(where).isEqualTo(r.userObject().getClass());
    assertThat(generated.getUsageMessage()).as(where).isEqualTo(reflective.getUsageMessage());
    assertThat(g.name()).as(where).isEqualTo(r.name());
    assertThat(g.aliases()).as(where).isEqualTo(r.aliases());
    assertThat(g.mixins().keySet()).as(where).isEqualTo(r.mixins().keySet());
    assertThat(g.mixinStandardHelpOptions()).as(where).isEqualTo(r.mixinStandardHelpOptions());
    assertThat(g.isAddMethodSubcommands()).as(where).isEqualTo(r.isAddMethodSubcommands());
    assertThat(g.version()).as(where).isEqualTo(r.version());
    assertThat(version(generated)).as(where).isEqualTo(version(reflective));
    assertThat(g.parentCommandElements()).as(where).hasSameSizeAs(r.parentCommandElements());
    assertThat(describe(g)).as(where).isEqualTo(describe(r));
    assertThat(generated.getSubcommands().keySet())
        .as(where)
        .isEqualTo(reflective.getSubcommands().keySet());
    reflective
        .getSubcommands()
        .forEach((name, sub) -> compare(sub, generated.getSubcommands().get(name)));
  }

  /** Every attribute of every option and positional parameter, by name or index. */
  private static Map<String, String> describe(CommandSpec spec) {
    Map<String, String> described = new TreeMap<>();
    for (OptionSpec o : spec.options()) {
      described.put(
          o.longestName(),
          describe(o)
              + String.join(",", o.names())
              + " negatable="
              + o.negatable()
              + " usageHelp="
              + o.usageHelp()
              + " versionHelp="
              + o.versionHelp()
              + " fallback="
              + o.fallbackValue()
              + " order="
              + o.order());
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      described.put("index " + p.index(), describe(p) + " index=" + p.index().originalValue());
    }
    return described;
  }

  private static String describe(ArgSpec a) {
    var converters = Arrays.stream(a.converters()).map(c -> c.getClass().getName()).toList();
    return String.join(
        " ",
        "arity=" + a.arity() + "/" + a.arity().isUnspecified() + "/" + a.arity().originalValue(),
        "type=" + a.type().getName(),
        "aux=" + Arrays.stream(a.auxiliaryTypes()).map(Class::getName).toList(),
        "multi=" + a.typeInfo().isMultiValue() + "/" + a.typeInfo().isCollection(),
        "enum=" + a.typeInfo().isEnum() + "/" + a.typeInfo().getEnumConstantNames(),
        "scope=" + a.scopeType(),
        "inherited=" + a.inherited(),
        "required=" + a.required(),
        "default=" + a.defaultValue(),
        "label=" + a.paramLabel(),
        "hidden=" + a.hidden(),
        "candidates=" + (a.completionCandidates() == null ? null : list(a.completionCandidates())),
        "description=" + Arrays.toString(a.description()),
        "initial=" + a.hasInitialValue() + "/" + a.initialValue(),
        "converters=" + converters,
        "split=" + a.splitRegex(),
        "show=" + a.showDefaultValue(),
        "toString=" + a,
        "");
  }

  private static List<String> list(Iterable<String> values) {
    List<String> list = new ArrayList<>();
    values.forEach(list::add);
    return list;
  }

  private static void collect(CommandLine cli, List<CommandLine> all) {
    all.add(cli);
    cli.getSubcommands().values().forEach(sub -> collect(sub, all));
  }
}
