package dev.hearth.exver;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An extended version that remembers the text it was read from, as package manifests and the
 * database store it: it prints the original text, and compares and hashes by the parsed version.
 * Sorting uses {@link ExtendedVersion#TOTAL_ORDER}, so lists of mixed flavors sort
 * deterministically.
 *
 * <p>Immutable and thread-safe.
 */
public final class VersionString implements Comparable<VersionString> {
  private final String text;
  private final ExtendedVersion version;

  private VersionString(String text, ExtendedVersion version) {
    this.text = text;
    this.version = version;
  }

  /**
   * @throws VersionParseException if the text is not an extended version
   */
  @JsonCreator
  public static VersionString parse(String text) {
    return new VersionString(text, ExtendedVersion.parse(text));
  }

  /** The canonical text of the version. */
  public static VersionString of(ExtendedVersion version) {
    return new VersionString(version.toString(), version);
  }

  public ExtendedVersion version() {
    return version;
  }

  @Override
  public int compareTo(VersionString other) {
    return ExtendedVersion.TOTAL_ORDER.compare(version, other.version);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionString v && version.equals(v.version);
  }

  @Override
  public int hashCode() {
    return version.hashCode();
  }

  /** The text as given. */
  @JsonValue
  @Override
  public String toString() {
    return text;
  }
}
