package dev.hearth.startd.container;

import java.util.List;

/**
 * A path inside a container, as its processes see it: absolute, below {@code /}, with no empty,
 * {@code .} or {@code ..} component and no control character. Host code never resolves one through
 * the host's file system; it is resolved inside the container's root (see {@code InRoot}).
 *
 * @param value the path, e.g. {@code /media/startos/images/main}
 */
public record ContainerPath(String value) {
  private static final int MAX_LENGTH = 4096; // PATH_MAX
  private static final int MAX_NAME = 255; // NAME_MAX

  public ContainerPath {
    if (!value.startsWith("/") || value.length() < 2) {
      throw new IllegalArgumentException(
          "a container path must be absolute and below /: \"" + printable(value) + "\"");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a container path must be at most " + MAX_LENGTH + " bytes: " + value.length());
    }
    for (String name : value.substring(1).split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException(
            "a container path must not have an empty, \".\" or \"..\" component: \""
                + printable(value)
                + "\"");
      }
      if (name.length() > MAX_NAME) {
        throw new IllegalArgumentException(
            "a container path component must be at most " + MAX_NAME + " bytes: " + name);
      }
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "a container path must not contain control characters: \"" + printable(value) + "\"");
    }
  }

  public static ContainerPath of(String value) {
    return new ContainerPath(value);
  }

  /** The components, e.g. {@code [media, startos, images, main]}. */
  public List<String> names() {
    return List.of(value.substring(1).split("/"));
  }

  /** The path without its leading slash, as LXC's mount entries and {@code openat2} want it. */
  public String relative() {
    return value.substring(1);
  }

  /** This path with one more component, validated like the rest. */
  public ContainerPath resolve(String name) {
    return new ContainerPath(value + "/" + name);
  }

  /** Whether {@code other} is this path or lies below it. */
  public boolean contains(ContainerPath other) {
    return other.value.equals(value) || other.value.startsWith(value + "/");
  }

  @Override
  public String toString() {
    return value;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(200)
        .forEach(c -> {
          if (c < 0x20 || c == 0x7f) {
            b.append("\\x").append(Integer.toHexString(c));
          } else {
            b.appendCodePoint(c);
          }
        });
    return b.toString();
  }
}
