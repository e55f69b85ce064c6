package dev.hearth.patchdb.json;

/** JSON {@code true} or {@code false}. */
public enum JsonBool implements Json {
  TRUE,
  FALSE;

  public static JsonBool of(boolean value) {
    return value ? TRUE : FALSE;
  }

  public boolean value() {
    return this == TRUE;
  }

  @Override
  public String toString() {
    return value() ? "true" : "false";
  }
}
