package dev.hearth.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.FullProgress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@link FullProgress} frames of a job into lines for people: a line when another phase
 * is under way, and, for a phase whose size is known ({@code {done, total}}), again at each tenth
 * of it, so a long upload shows it moves without printing a line per frame.
 *
 * <p>Not thread-safe: one per progress stream.
 */
final class ProgressLines {
  private @Nullable String last;

  /** The line to print for this frame, if it says something the last one did not. */
  Optional<String> next(FullProgress progress) {
    String line = describe(progress);
    if (line == null || line.equals(last)) {
      return Optional.empty();
    }
    last = line;
    return Optional.of(line);
  }

  /**
   * The first phase started and not done, with its percentage in tenths when it has a size; null
   * when none is under way (between phases, or all done). lifecycle.md §2.1: a phase's progress is
   * null (not started), a boolean (done or not), {@code {done, total, units}}, or a nested
   * FullProgress.
   */
  static @Nullable String describe(FullProgress progress) {
    for (FullProgress.Phase phase : progress.phases()) {
      JsonNode p = phase.progress();
      if (p.isNull() || p.isMissingNode() || (p.isBoolean() && p.asBoolean())) {
        continue;
      }
      JsonNode total = p.path("total");
      if (p.path("done").isNumber() && total.isNumber() && total.asDouble() > 0) {
        double fraction = Math.min(1.0, p.get("done").asDouble() / total.asDouble());
        return phase.name() + " " + (int) (fraction * 10) * 10 + "%";
      }
      return phase.name();
    }
    return null;
  }
}
