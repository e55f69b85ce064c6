package dev.hearth.patchdb;

import dev.hearth.patchdb.json.JsonPatch;
import java.util.Objects;

/**
 * One committed change: its sequence number and the patch that made it. On the wire, {@code {"id":
 * n, "patch": [...]}} (patchdb.md §1). Subscribers get patches re-rooted at what they watch, with
 * the same ids.
 */
public record Revision(long id, JsonPatch patch) {
  public Revision {
    Objects.requireNonNull(patch, "patch");
  }
}
