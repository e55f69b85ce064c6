package dev.hearth.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What a person is shown for one package (lifecycle.md §3.4), read from its entry in the public
 * model's {@code packageData}: the same rules as the upstream UI, so the CLI and our UI agree.
 */
public final class DisplayedStatus {
  private DisplayedStatus() {}

  /** States whose display is the state itself, and statuses a pending task does not override. */
  private static final Set<String> OWN_DISPLAY =
      Set.of("installing", "updating", "removing", "restoring", "backing-up", "error");

  /**
   * One of installing, updating, restoring, removing (the state while it is not installed), or
   * error, starting, stopping, running, stopped, restarting, backing-up, task-required.
   */
  public static String of(JsonNode entry) {
    String state = entry.at("/stateInfo/state").asText("");
    if (!state.equals("installed")) {
      return state.isEmpty() ? "unknown" : state;
    }
    JsonNode status = entry.path("statusInfo");
    String desired = status.at("/desired/main").asText("stopped");
    boolean started = status.hasNonNull("started");
    String shown;
    if (status.hasNonNull("error")) {
      shown = "error";
    } else if (desired.equals("running")
        && (!started || anyHealth(status, "starting", "waiting"))) {
      shown = "starting";
    } else if (desired.equals("stopped") && started) {
      shown = "stopping";
    } else {
      shown = desired;
    }
    if (!OWN_DISPLAY.contains(shown) && hasActiveCriticalTask(entry)) {
      return "task-required";
    }
    return shown;
  }

  /**
   * The health checks in a word or a line: {@code -} with none, {@code healthy} when every one
   * succeeded (or is disabled), else the first that did not, as {@code name: result (message)}.
   */
  public static String health(JsonNode entry) {
    JsonNode checks = entry.at("/statusInfo/health");
    if (!checks.isObject() || checks.isEmpty()) {
      return "-";
    }
    for (JsonNode check : checks) {
      String result = check.path("result").asText("");
      if (!result.equals("success") && !result.equals("disabled")) {
        String message = check.path("message").asText("");
        return check.path("name").asText("?")
            + ": "
            + result
            + (message.isEmpty() ? "" : " (" + message + ")");
      }
    }
    return "healthy";
  }

  /**
   * Why the service is not running as wanted, in one line ({@code statusInfo.error.details}), or
   * empty when nothing is wrong.
   */
  public static String error(JsonNode entry) {
    JsonNode details = entry.at("/statusInfo/error/details");
    if (!details.isTextual()) {
      return "";
    }
    String line = details.asText().strip().lines().findFirst().orElse("");
    return line.length() > MAX_ERROR ? line.substring(0, MAX_ERROR - 1) + "…" : line;
  }

  private static final int MAX_ERROR = 160;

  private static boolean anyHealth(JsonNode status, String... results) {
    for (JsonNode check : status.path("health")) {
      String result = check.path("result").asText("");
      for (String r : results) {
        if (r.equals(result)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasActiveCriticalTask(JsonNode entry) {
    for (JsonNode t : entry.path("tasks")) {
      if (t.path("active").asBoolean(false)
          && t.at("/task/severity").asText("").equals("critical")) {
        return true;
      }
    }
    return false;
  }
}
