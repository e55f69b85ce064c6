package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A task a package asked for (lifecycle.md §4), stored under the requesting package: {@code task}
 * is {@code {packageId, actionId, severity, reason?, when?, input?}} as sent.
 */
public record TaskEntry(JsonNode task, boolean active) {
  public TaskEntry {
    Objects.requireNonNull(task, "task");
  }

  String packageId() {
    return task.path("packageId").asText();
  }

  String actionId() {
    return task.path("actionId").asText();
  }

  boolean critical() {
    return task.path("severity").asText().equals("critical");
  }

  boolean hasCondition() {
    return task.hasNonNull("when");
  }

  boolean once() {
    return task.path("when").path("once").asBoolean(false);
  }

  TaskEntry withActive(boolean a) {
    return new TaskEntry(task, a);
  }
}
