package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.regex.Pattern;

/**
 * A package's id: lowercase words joined by single dashes, at most 64 characters (s9pk.md). Safe to
 * use as a file name and a JSON pointer token, which is why every path derived from it may trust
 * it.
 */
public record PackageId(String value) implements Comparable<PackageId> {
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /**
   * @throws StartException ({@link ErrorKind#INVALID_ID}) if {@code value} is not a package id
   */
  public PackageId {
    if (value.length() > 64 || !ID.matcher(value).matches()) {
      throw new StartException(ErrorKind.INVALID_ID, "not a package id: \"" + value + "\"");
    }
  }

  @JsonCreator
  public static PackageId of(String value) {
    return new PackageId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public int compareTo(PackageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
