package dev.hearth.jsonrpc;

/** The params of a method that takes none ({@code {}}); unknown keys are ignored. */
public record Empty() {
  public static final Empty INSTANCE = new Empty();
}
