package dev.hearth.startd.service.model;

import java.util.Objects;

/**
 * A task as kept under the package that asked for it ({@code tasks.<replayId>},
 * container-runtime.md §2.8): the task, and whether it still needs doing.
 */
public record TaskEntry(Task task, boolean active) {
  public TaskEntry {
    Objects.requireNonNull(task, "task");
  }

  public String packageId() {
    return task.packageId();
  }

  public String actionId() {
    return task.actionId();
  }

  public boolean critical() {
    return task.severity() == Task.Severity.CRITICAL;
  }

  public boolean hasCondition() {
    return task.when() != null;
  }

  public boolean once() {
    return task.when() != null && task.when().once();
  }

  public TaskEntry withActive(boolean a) {
    return new TaskEntry(task, a);
  }
}
