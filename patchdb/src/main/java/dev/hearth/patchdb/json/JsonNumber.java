package dev.hearth.patchdb.json;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON number, held exactly. Numbers that are equal in value are equal ({@code 1} and {@code
 * 1.0}); the text keeps the scale it was given, so {@code 1.0} prints as {@code 1.0}.
 */
public record JsonNumber(BigDecimal value) implements Json {
  public JsonNumber {
    Objects.requireNonNull(value, "value");
  }

  public static JsonNumber of(long value) {
    return new JsonNumber(BigDecimal.valueOf(value));
  }

  /**
   * @throws IllegalArgumentException for NaN and infinities, which JSON cannot express
   */
  public static JsonNumber of(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("JSON has no number " + value);
    }
    return new JsonNumber(BigDecimal.valueOf(value));
  }

  /** True when the value has no fractional part written, so it travels as a JSON integer. */
  public boolean isIntegral() {
    return value.scale() <= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonNumber n && value.compareTo(n.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
