import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;

/**
 * Writes, from picocli's own reflective model of every {@code @Command} class under {@code
 * dev/hearth/cli}, code that builds the same model with picocli's programmatic API, and compiles
 * it into the classes directory (why: {@code dev.hearth.cli.CommandSpecs}).
 *
 * <p>Per package it writes {@code GeneratedSpecs}: a builder per command, and {@code Field}, which
 * reads and writes the package's annotated fields by number (picocli's getter and setter). Then
 * {@code dev.hearth.cli.GeneratedCommandSpecs} dispatches by class name and knows every command's
 * names. A command with an {@code @ArgGroup} or anything else this does not write is left out, and
 * keeps the reflective path. Anything surprising fails the build rather than changing a command.
 *
 * <p>Run with the module's class path (classes included): {@code java -cp CP
 * GenerateCommandSpecs.java CLASSES SOURCES}.
 */
public final class GenerateCommandSpecs {
  private static final String ROOT_PACKAGE = "dev.hearth.cli";

  private final Map<String, PackageOut> packages = new TreeMap<>();
  private final Map<String, List<String>> names = new TreeMap<>();

  public static void main(String[] args) throws Exception {
    Path classes = Path.of(args[0]);
    Path sources = Path.of(args[1]);
    var generator = new GenerateCommandSpecs();
    List<Class<?>> commands = generator.commandClasses(classes);
    for (Class<?> command : commands) {
      generator.add(command);
    }
    List<Path> written = generator.write(sources);
    compile(written, classes);
    System.out.printf(
        "GenerateCommandSpecs: %d of %d command classes generated, in %d packages%n",
        generator.names.size(), commands.size(), generator.packages.size());
  }

  /** Every {@code @Command} class under the root package, sorted by name. */
  private List<Class<?>> commandClasses(Path classes) throws IOException {
    Path root = classes.resolve(ROOT_PACKAGE.replace('.', '/'));
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted().toList()) {
        String relative = classes.relativize(file).toString();
        if (!relative.endsWith(".class") || relative.contains("Generated")) {
          continue;
        }
        String name = relative.substring(0, relative.length() - 6).replace('/', '.');
        Class<?> type;
        try {
          type = Class.forName(name, false, GenerateCommandSpecs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
        if (type.isAnnotationPresent(Command.class)) {
          found.add(type);
        }
      }
    }
    return found;
  }

  private void add(Class<?> type) {
    if (Modifier.isAbstract(type.getModifiers())) {
      return;
    }
    if (noArgConstructor(type) == null) {
      System.out.printf("GenerateCommandSpecs: %s stays reflective: no constructor without arguments that is not private%n", type.getName());
      return;
    }
    CommandSpec spec = new CommandLine(type).getCommandSpec();
    String why = unsupported(spec);
    if (why != null) {
      System.out.printf("GenerateCommandSpecs: %s stays reflective: %s%n", type.getName(), why);
      return;
    }
    PackageOut out = packageOf(type);
    String method = "spec" + out.builders.size();
    out.builders.put(type, method);
    out.code.append(new CommandWriter(this, out, type, spec, method).write());
    List<String> all = new ArrayList<>();
    all.add(spec.name());
    all.addAll(Arrays.asList(spec.aliases()));
    names.put(type.getName(), all);
  }

  /** Why {@code spec} cannot be generated, or null when it can. */
  private static String unsupported(CommandSpec spec) {
    if (!spec.argGroups().isEmpty()) {
      return "an @ArgGroup";
    }
    if (!spec.unmatchedArgsBindings().isEmpty()) {
      return "@Unmatched";
    }
    if (!spec.subcommands().isEmpty()) {
      return "subcommands in its annotation (CommandTree lists them)";
    }
    for (Map.Entry<String, CommandSpec> mixin : spec.mixins().entrySet()) {
      Class<?> type = mixin.getValue().userObject().getClass();
      if (!type.isAnnotationPresent(Command.class) || noArgConstructor(type) == null) {
        return "mixin " + mixin.getKey() + " is not an @Command class with a constructor";
      }
      String inner = unsupported(mixin.getValue());
      if (inner != null) {
        return "mixin " + mixin.getKey() + ": " + inner;
      }
    }
    return null;
  }

  private static Constructor<?> noArgConstructor(Class<?> type) {
    try {
      Constructor<?> c = type.getDeclaredConstructor();
      return Modifier.isPrivate(c.getModifiers()) ? null : c;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  PackageOut packageOf(Class<?> type) {
    return packages.computeIfAbsent(type.getPackageName(), PackageOut::new);
  }

  /** {@code new P.GeneratedSpecs.Field(target, n)} for {@code field}, numbered in its package. */
  String field(Field field, String target) {
    if (Modifier.isPrivate(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
      throw new IllegalStateException(field + ": an annotated field must be neither private nor final");
    }
    PackageOut out = packageOf(field.getDeclaringClass());
    Integer id = out.fields.get(field);
    if (id == null) {
      id = out.fields.size();
      out.fields.put(field, id);
    }
    return "new " + out.name + ".GeneratedSpecs.Field(" + target + ", " + id + ")";
  }

  private List<Path> write(Path sources) throws IOException {
    List<Path> written = new ArrayList<>();
    for (PackageOut out : packages.values()) {
      Path file = sources.resolve(out.name.replace('.', '/')).resolve("GeneratedSpecs.java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, out.source());
      written.add(file);
    }
    Path registry = sources.resolve(ROOT_PACKAGE.replace('.', '/')).resolve("GeneratedCommandSpecs.java");
    Files.createDirectories(registry.getParent());
    Files.writeString(registry, registry());
    written.add(registry);
    return written;
  }

  private String registry() {
    var s = new StringBuilder();
    s.append("package ").append(ROOT_PACKAGE).append(";\n\n");
    s.append("/** Generated by src/build/GenerateCommandSpecs.java: see CommandSpecs. */\n");
    s.append("final class GeneratedCommandSpecs implements CommandSpecs {\n");
    s.append("  @Override\n  public picocli.CommandLine.Model.CommandSpec create(Class<?> command) {\n");
    s.append("    return switch (command.getPackageName()) {\n");
    for (PackageOut out : packages.values()) {
      if (!out.builders.isEmpty()) {
        s.append("      case ").append(literal(out.name)).append(" -> ").append(out.name)
            .append(".GeneratedSpecs.create(command.getName());\n");
      }
    }
    s.append("      default -> null;\n    };\n  }\n\n");
    s.append("  @Override\n  public picocli.CommandLine.Model.CommandSpec bind(Object command) {\n");
    s.append("    return switch (command.getClass().getPackageName()) {\n");
    for (PackageOut out : packages.values()) {
      if (!out.builders.isEmpty()) {
        s.append("      case ").append(literal(out.name)).append(" -> ").append(out.name)
            .append(".GeneratedSpecs.bind(command);\n");
      }
    }
    s.append("      default -> null;\n    };\n  }\n\n");
    s.append("  @Override\n  public java.util.List<String> names(Class<?> command) {\n");
    s.append("    return switch (command.getName()) {\n");
    names.forEach(
        (type, all) -> s.append("      case ").append(literal(type)).append(" -> java.util.List.of(")
            .append(String.join(", ", all.stream().map(GenerateCommandSpecs::literal).toList()))
            .append(");\n"));
    s.append("      default -> null;\n    };\n  }\n}\n");
    return s.toString();
  }

  private static void compile(List<Path> sources, Path classes) {
    var javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of(
        "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"),
        "--release", String.valueOf(Runtime.version().feature()),
        "-Xlint:all", "-Xlint:-rawtypes", "-Xlint:-unchecked", "-Werror", "-implicit:none"));
    sources.forEach(p -> args.add(p.toString()));
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("the generated command specs did not compile");
    }
  }

  static String literal(String s) {
    var out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String literals(String[] values) {
    return String.join(", ", Arrays.stream(values).map(GenerateCommandSpecs::literal).toList());
  }

  /** One package's generated class, as it is written. */
  static final class PackageOut {
    final String name;
    final Map<Class<?>, String> builders = new LinkedHashMap<>();
    final Map<Field, Integer> fields = new LinkedHashMap<>();
    final StringBuilder code = new StringBuilder();

    PackageOut(String name) {
      this.name = name;
    }

    String source() {
      var s = new StringBuilder();
      s.append("package ").append(name).append(";\n\n");
      s.append("import picocli.CommandLine.Model.CommandSpec;\n");
      s.append("import picocli.CommandLine.Model.OptionSpec;\n");
      s.append("import picocli.CommandLine.Model.PositionalParamSpec;\n");
      s.append("import picocli.CommandLine.Range;\n\n");
      s.append("/** Generated by src/build/GenerateCommandSpecs.java: see dev.hearth.cli.CommandSpecs. */\n");
      s.append("public final class GeneratedSpecs {\n");
      s.append("  private GeneratedSpecs() {}\n\n");
      s.append("  public static CommandSpec create(String command) {\n");
      s.append("    return switch (command) {\n");
      builders.forEach((type, method) -> s.append("      case ").append(literal(type.getName()))
          .append(" -> ").append(method).append("(new ").append(type.getCanonicalName()).append("());\n"));
      s.append("      default -> null;\n    };\n  }\n\n");
      s.append("  public static CommandSpec bind(Object command) {\n");
      s.append("    return switch (command.getClass().getName()) {\n");
      builders.forEach((type, method) -> s.append("      case ").append(literal(type.getName()))
          .append(" -> ").append(method).append("((").append(type.getCanonicalName()).append(") command);\n"));
      s.append("      default -> null;\n    };\n  }\n");
      s.append(code);
      if (!fields.isEmpty()) {
        s.append(fieldClass());
      }
      s.append("}\n");
      return s.toString();
    }

    private String fieldClass() {
      var s = new StringBuilder();
      s.append("\n  /** An annotated field of this package, by number: picocli's getter and setter. */\n");
      s.append("  public static final class Field\n");
      s.append("      implements picocli.CommandLine.Model.IGetter, picocli.CommandLine.Model.ISetter {\n");
      s.append("    private final Object target;\n    private final int id;\n\n");
      s.append("    public Field(Object target, int id) {\n");
      s.append("      this.target = target;\n      this.id = id;\n    }\n\n");
      s.append("    @Override\n    @SuppressWarnings(\"unchecked\")\n    public <T> T get() {\n");
      s.append("      Object value = switch (id) {\n");
      fields.forEach((f, id) -> s.append("        case ").append(id).append(" -> (Object) ((")
          .append(f.getDeclaringClass().getCanonicalName()).append(") target).").append(f.getName()).append(";\n"));
      s.append("        default -> throw new IllegalStateException(\"no field \" + id);\n      };\n");
      s.append("      return (T) value;\n    }\n\n");
      s.append("    @Override\n    @SuppressWarnings({\"unchecked\", \"rawtypes\"})\n    public <T> T set(T value) {\n");
      s.append("      T old = get();\n      switch (id) {\n");
      fields.forEach((f, id) -> s.append("        case ").append(id).append(" -> ((")
          .append(f.getDeclaringClass().getCanonicalName()).append(") target).").append(f.getName())
          .append(" = (").append(boxed(f.getType()).getCanonicalName()).append(") value;\n"));
      s.append("        default -> throw new IllegalStateException(\"no field \" + id);\n      }\n");
      s.append("      return old;\n    }\n  }\n");
      return s.toString();
    }
  }

  static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return switch (type.getName()) {
      case "boolean" -> Boolean.class;
      case "int" -> Integer.class;
      case "long" -> Long.class;
      case "short" -> Short.class;
      case "byte" -> Byte.class;
      case "char" -> Character.class;
      case "float" -> Float.class;
      case "double" -> Double.class;
      default -> throw new IllegalStateException(type.getName());
    };
  }

  /** The builder method of one command. */
  static final class CommandWriter {
    private final GenerateCommandSpecs generator;
    private final PackageOut out;
    private final Class<?> type;
    private final CommandSpec spec;
    private final String method;
    private final StringBuilder s = new StringBuilder();

    CommandWriter(GenerateCommandSpecs generator, PackageOut out, Class<?> type, CommandSpec spec, String method) {
      this.generator = generator;
      this.out = out;
      this.type = type;
      this.spec = spec;
      this.method = method;
    }

    String write() {
      s.append("\n  /** {@code ").append(spec.qualifiedName()).append("}: ").append(type.getSimpleName()).append(". */\n");
      s.append("  private static CommandSpec ").append(method).append("(").append(type.getCanonicalName()).append(" c) {\n");
      s.append("    CommandSpec s = CommandSpec.wrapWithoutInspection(c);\n");
      if (type.getAnnotation(Command.class).name().equals("<main class>")) {
        // a mixin: picocli leaves its name unset
      } else {
        line("s.name(%s);", literal(spec.name()));
      }
      if (spec.aliases().length > 0) {
        line("s.aliases(%s);", literals(spec.aliases()));
      }
      line("s.setAddMethodSubcommands(%s);", spec.isAddMethodSubcommands());
      if (spec.usageMessage().description().length > 0) {
        line("s.usageMessage().description(%s);", literals(spec.usageMessage().description()));
      }
      if (spec.versionProvider() != null) {
        line("s.versionProvider(new %s());", spec.versionProvider().getClass().getCanonicalName());
      }
      Map<ArgSpec, String> mixinOf = new IdentityHashMap<>();
      spec.mixins().forEach((name, mixin) -> mixin.args().forEach(a -> mixinOf.put(a, name)));
      Set<String> mixinsWritten = new java.util.HashSet<>();
      for (ArgSpec arg : spec.args()) {
        String mixin = mixinOf.get(arg);
        if (mixin == null) {
          arg(arg);
        } else if (mixinsWritten.add(mixin)) {
          mixin(mixin);
        }
      }
      for (String mixin : spec.mixins().keySet()) {
        if (mixinsWritten.add(mixin)) {
          mixin(mixin);
        }
      }
      for (IAnnotatedElement e : spec.specElements()) {
        line("%s.set(s);", generator.field(field(e.userObject()), "c"));
      }
      for (IAnnotatedElement e : spec.parentCommandElements()) {
        line("s.addParentCommandElement(dev.hearth.cli.GeneratedParts.parentCommand(%s, %s));",
            literal(e.getName()), generator.field(field(e.userObject()), "c"));
      }
      s.append("    return s;\n  }\n");
      return s.toString();
    }

    private void mixin(String name) {
      CommandSpec mixin = spec.mixins().get(name);
      Class<?> mixinType = mixin.userObject().getClass();
      IAnnotatedElement element = spec.mixinAnnotatedElements().get(name);
      if (element == null) {
        throw new IllegalStateException(type + ": mixin " + name + " without a field");
      }
      line("{");
      line("  CommandSpec m = %s.GeneratedSpecs.create(%s);",
          mixinType.getPackageName(), literal(mixinType.getName()));
      line("  %s.set(m.userObject());", generator.field(field(element.userObject()), "c"));
      line("  s.addMixin(%s, m);", literal(name));
      line("}");
    }

    @SuppressWarnings("deprecation") // help(): written so that nothing is lost
    private void arg(ArgSpec arg) {
      Field field = field(arg.userObject());
      String binding = generator.field(field, "c");
      if (arg instanceof OptionSpec o) {
        OptionSpec.Builder b = OptionSpec.builder(o);
        line("{");
        line("  var f = %s;", binding);
        s.append("      s.addOption(OptionSpec.builder(").append(literals(b.names())).append(")");
        common(Raw.of(b), arg);
        if (b.usageHelp()) {
          s.append(".usageHelp(true)");
        }
        if (b.versionHelp()) {
          s.append(".versionHelp(true)");
        }
        if (b.help()) {
          s.append(".help(true)");
        }
        if (b.negatable()) {
          s.append(".negatable(true)");
        }
        if (b.fallbackValue() != null) {
          s.append(".fallbackValue(").append(literal(b.fallbackValue())).append(")");
        }
        s.append(".order(").append(b.order()).append(")");
        s.append(".getter(f).setter(f).build());\n");
        line("}");
      } else if (arg instanceof PositionalParamSpec p) {
        PositionalParamSpec.Builder b = PositionalParamSpec.builder(p);
        line("{");
        line("  var f = %s;", binding);
        s.append("      s.addPositional(PositionalParamSpec.builder()");
        s.append(".index(").append(range(b.index())).append(")");
        common(Raw.of(b), arg);
        s.append(".getter(f).setter(f).build());\n");
        line("}");
      } else {
        throw new IllegalStateException(type + ": " + arg);
      }
    }

    /** What options and positional parameters share. */
    private void common(Raw b, ArgSpec arg) {
      if (b.parameterConsumer() != null || b.interactive() || b.prompt() != null && !b.prompt().isEmpty()) {
        throw new IllegalStateException(type + ": " + arg + " uses what the generator does not write");
      }
      if (!b.preprocessor().getClass().getSimpleName().equals("NoOpParameterPreprocessor")) {
        throw new IllegalStateException(type + ": " + arg + " has a preprocessor");
      }
      if (b.completionCandidates() != null && !arg.typeInfo().isEnum()) {
        throw new IllegalStateException(type + ": " + arg + " has completion candidates");
      }
      if (b.required()) {
        s.append(".required(true)");
      }
      s.append(".description(").append(literals(b.description())).append(")");
      if (b.descriptionKey() != null && !b.descriptionKey().isEmpty()) {
        s.append(".descriptionKey(").append(literal(b.descriptionKey())).append(")");
      }
      if (b.paramLabel() != null) {
        s.append(".paramLabel(").append(literal(b.paramLabel())).append(")");
      }
      if (b.hideParamSyntax()) {
        s.append(".hideParamSyntax(true)");
      }
      if (b.hidden()) {
        s.append(".hidden(true)");
      }
      s.append(".type(").append(b.type().getCanonicalName()).append(".class)");
      s.append(".auxiliaryTypes(").append(String.join(", ",
          Arrays.stream(b.auxiliaryTypes()).map(t -> t.getCanonicalName() + ".class").toList())).append(")");
      if (b.converters().length > 0) {
        s.append(".converters(").append(String.join(", ",
            Arrays.stream(b.converters()).map(c -> "new " + c.getClass().getCanonicalName() + "()").toList())).append(")");
      }
      if (!b.splitRegex().isEmpty()) {
        s.append(".splitRegex(").append(literal(b.splitRegex())).append(")");
      }
      if (!b.splitRegexSynopsisLabel().isEmpty()) {
        s.append(".splitRegexSynopsisLabel(").append(literal(b.splitRegexSynopsisLabel())).append(")");
      }
      s.append(".showDefaultValue(picocli.CommandLine.Help.Visibility.").append(b.showDefaultValue().name()).append(")");
      s.append(".arity(").append(range(b.arity())).append(")");
      if (b.defaultValue() != null) {
        s.append(".defaultValue(").append(literal(b.defaultValue())).append(")");
      }
      if (b.mapFallbackValue() != null && !b.mapFallbackValue().equals("__unspecified__")) {
        // picocli's mapFallbackValue returns its non-public builder type: not callable in a chain
        throw new IllegalStateException(type + ": " + arg + " has a map fallback value");
      }
      s.append(".scopeType(picocli.CommandLine.ScopeType.").append(b.scopeType().name()).append(")");
      if (arg.hasInitialValue()) {
        s.append(".hasInitialValue(true).initialValue(f.get())");
      }
      s.append(".withToString(").append(literal(arg.toString())).append(")");
    }

    /**
     * The raw (not interpolated) attributes options and positional parameters share: picocli's
     * common builder is not public, so each kind's builder is read into this.
     */
    record Raw(
        Object parameterConsumer, boolean interactive, String prompt, Object preprocessor,
        Iterable<String> completionCandidates, boolean required, String[] description,
        String descriptionKey, String paramLabel, boolean hideParamSyntax, boolean hidden,
        Class<?> type, Class<?>[] auxiliaryTypes, Object[] converters, String splitRegex,
        String splitRegexSynopsisLabel, picocli.CommandLine.Help.Visibility showDefaultValue,
        Range arity, String defaultValue, String mapFallbackValue,
        picocli.CommandLine.ScopeType scopeType) {
      static Raw of(OptionSpec.Builder b) {
        return new Raw(b.parameterConsumer(), b.interactive(), b.prompt(), b.preprocessor(),
            b.completionCandidates(), b.required(), b.description(), b.descriptionKey(),
            b.paramLabel(), b.hideParamSyntax(), b.hidden(), b.type(), b.auxiliaryTypes(),
            b.converters(), b.splitRegex(), b.splitRegexSynopsisLabel(), b.showDefaultValue(),
            b.arity(), b.defaultValue(), b.mapFallbackValue(), b.scopeType());
      }

      static Raw of(PositionalParamSpec.Builder b) {
        return new Raw(b.parameterConsumer(), b.interactive(), b.prompt(), b.preprocessor(),
            b.completionCandidates(), b.required(), b.description(), b.descriptionKey(),
            b.paramLabel(), b.hideParamSyntax(), b.hidden(), b.type(), b.auxiliaryTypes(),
            b.converters(), b.splitRegex(), b.splitRegexSynopsisLabel(), b.showDefaultValue(),
            b.arity(), b.defaultValue(), b.mapFallbackValue(), b.scopeType());
      }
    }

    private static String range(Range r) {
      return "new Range(" + r.min() + ", " + r.max() + ", " + r.isVariable() + ", " + r.isUnspecified()
          + ", " + (r.originalValue() == null ? "null" : literal(r.originalValue())) + ")";
    }

    private Field field(Object userObject) {
      if (userObject instanceof Field f) {
        return f;
      }
      throw new IllegalStateException(type + ": an annotated element that is not a field: " + userObject);
    }

    private void line(String format, Object... args) {
      s.append("    ").append(String.format(format, args)).append('\n');
    }
  }
}
