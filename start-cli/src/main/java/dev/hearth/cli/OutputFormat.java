package dev.hearth.cli;

/** How a command prints its result ({@code --format}). */
public enum OutputFormat {
  /** JSON, as the RPC returns it. */
  json,
  /** Aligned columns for people. */
  table
}
