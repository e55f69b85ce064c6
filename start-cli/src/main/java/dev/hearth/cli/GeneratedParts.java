package dev.hearth.cli;

import java.lang.annotation.Annotation;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.IScope;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.ITypeInfo;

/**
 * What the generated command models ({@link CommandSpecs}) share: the {@code @ParentCommand}
 * fields, made without reading an annotation.
 */
public final class GeneratedParts {
  private GeneratedParts() {}

  /**
   * A {@code @ParentCommand} field: picocli sets it, through {@code setter}, to the parent's
   * command object when the command is added as a subcommand.
   */
  public static IAnnotatedElement parentCommand(String name, ISetter setter) {
    return new ParentCommandField(name, setter);
  }

  /** Only {@link #setter()} is read for a parent command field; the rest describes it honestly. */
  private record ParentCommandField(String name, ISetter setter) implements IAnnotatedElement {
    @Override
    public @Nullable Object userObject() {
      return null;
    }

    @Override
    public boolean isAnnotationPresent(Class<? extends Annotation> annotationClass) {
      return false;
    }

    @Override
    public <T extends Annotation> @Nullable T getAnnotation(Class<T> annotationClass) {
      return null;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public @Nullable String getMixinName() {
      return null;
    }

    @Override
    public boolean isArgSpec() {
      return false;
    }

    @Override
    public boolean isOption() {
      return false;
    }

    @Override
    public boolean isParameter() {
      return false;
    }

    @Override
    public boolean isArgGroup() {
      return false;
    }

    @Override
    public boolean isMixin() {
      return false;
    }

    @Override
    public boolean isUnmatched() {
      return false;
    }

    @Override
    public boolean isSpec() {
      return false;
    }

    @Override
    public boolean isParentCommand() {
      return true;
    }

    @Override
    public boolean isMultiValue() {
      return false;
    }

    @Override
    public boolean isInteractive() {
      return false;
    }

    @Override
    public boolean hasInitialValue() {
      return false;
    }

    @Override
    public boolean isMethodParameter() {
      return false;
    }

    @Override
    public int getMethodParamPosition() {
      return -1;
    }

    @Override
    public @Nullable IScope scope() {
      return null;
    }

    @Override
    public @Nullable IGetter getter() {
      return null;
    }

    @Override
    public @Nullable ITypeInfo getTypeInfo() {
      return null;
    }

    @Override
    public String getToString() {
      return "parent command field " + name;
    }
  }
}
