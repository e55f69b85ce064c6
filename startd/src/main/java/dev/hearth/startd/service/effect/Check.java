package dev.hearth.startd.service.effect;

import dev.hearth.error.StartException;
import dev.hearth.startd.service.model.PackageId;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules every effect's params follow, for their compact constructors. Each failure is an {@link
 * IllegalArgumentException} naming the field and the rule; the effects tree turns it into a {@code
 * DESERIALIZATION} error naming the effect too ({@code RpcTree.Builder.badParamsAs}).
 */
final class Check {
  /** Action, host, health check, interface, volume, image, subcontainer ids. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** Any string a package sends: SDK strings are names, descriptions and short messages. */
  static final int MAX_STRING = 64 * 1024;

  /** Any list a package sends (ids to keep, hostnames, dependencies…). */
  static final int MAX_LIST = 4096;

  private Check() {}

  static String id(String field, @Nullable String value) {
    text(field, value);
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " is not a valid id: \"" + value + "\"");
    }
    return value;
  }

  static @Nullable String optId(String field, @Nullable String value) {
    return value == null ? null : id(field, value);
  }

  static String packageId(String field, @Nullable String value) {
    text(field, value);
    try {
      return PackageId.of(value).value(); // the one rule for package ids
    } catch (StartException e) {
      throw new IllegalArgumentException(field + " is not a package id: \"" + value + "\"");
    }
  }

  static @Nullable String optPackageId(String field, @Nullable String value) {
    return value == null ? null : packageId(field, value);
  }

  static int port(String field, @Nullable Integer value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(field + " must be a port (1-65535), not " + value);
    }
    return value;
  }

  static @Nullable Integer optPort(String field, @Nullable Integer value) {
    return value == null ? null : port(field, value);
  }

  static int natural(String field, @Nullable Integer value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be 0 or more, not " + value);
    }
    return value;
  }

  static String text(String field, @Nullable String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return optText(field, value);
  }

  static @Nullable String optText(String field, @Nullable String value) {
    if (value != null && value.length() > MAX_STRING) {
      throw new IllegalArgumentException(
          field + " has " + value.length() + " characters, more than " + MAX_STRING);
    }
    return value;
  }

  static <T> T present(String field, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }

  /** A list, absent meaning empty, of at most {@link #MAX_LIST} items. */
  static <T> List<T> list(String field, @Nullable List<T> value) {
    if (value == null) {
      return List.of();
    }
    if (value.size() > MAX_LIST) {
      throw new IllegalArgumentException(
          field + " has " + value.size() + " items, more than " + MAX_LIST);
    }
    for (T item : value) {
      if (item == null) {
        throw new IllegalArgumentException(field + " holds a null");
      }
    }
    return List.copyOf(value);
  }

  static List<String> ids(String field, @Nullable List<String> value) {
    List<String> out = list(field, value);
    out.forEach(v -> id(field, v));
    return out;
  }

  static List<String> texts(String field, @Nullable List<String> value) {
    List<String> out = list(field, value);
    out.forEach(v -> text(field, v));
    return out;
  }
}
