package dev.hearth.patchdb.json;

/** JSON {@code null}. */
public enum JsonNull implements Json {
  INSTANCE;

  @Override
  public String toString() {
    return "null";
  }
}
