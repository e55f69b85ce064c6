package dev.hearth.cli;

import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The models of {@code start-cli}'s commands, made at build time.
 *
 * <p>picocli reads a command's model from its annotations, and reading annotations at run time
 * costs a call about 55 ms in a fresh JVM (each annotation type becomes a proxy class generated on
 * the spot, and fields are reached through core reflection). {@code src/build/GenerateCommandSpecs}
 * reads picocli's own reflective model of every command once, at build time, and writes code that
 * builds the same model with picocli's programmatic API and reaches fields directly; {@code
 * CommandSpecsTest} compares the two for every command. A command the generator leaves out (one
 * with an {@code @ArgGroup}) and a build without the generated code take the reflective path.
 */
interface CommandSpecs {
  /** The generated class, in this package, that implements this interface. */
  String GENERATED = "dev.hearth.cli.GeneratedCommandSpecs";

  /** Every model read from the annotations: the path a build without generated code takes. */
  CommandSpecs REFLECTIVE =
      new CommandSpecs() {
        @Override
        public @Nullable CommandSpec create(Class<?> command) {
          return null;
        }

        @Override
        public @Nullable CommandSpec bind(Object command) {
          return null;
        }

        @Override
        public @Nullable List<String> names(Class<?> command) {
          return null;
        }
      };

  /** The model of a new instance of {@code command}; null when none was generated for it. */
  @Nullable CommandSpec create(Class<?> command);

  /** The model of {@code command}, bound to it; null when none was generated for its class. */
  @Nullable CommandSpec bind(Object command);

  /** The name and then the aliases of {@code command}; null when none were generated for it. */
  @Nullable List<String> names(Class<?> command);

  /** The generated models when the build made them, else {@link #REFLECTIVE}. */
  static CommandSpecs generated() {
    try {
      return (CommandSpecs)
          Class.forName(GENERATED, true, CommandSpecs.class.getClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      return REFLECTIVE;
    }
  }
}
