package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.FullProgress;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The progress of installs and updates: shown on the install's progress socket and in the entry's
 * {@code installingInfo} (which the UI reads). While a package's init runs, its own {@code
 * set-init-progress} reports become the Installing phase's value.
 */
final class InstallProgress {
  static final String UPLOADING = "Uploading";
  static final String VALIDATING = "Validating Headers";
  static final String UNPACKING = "Unpacking";
  static final String INSTALLING = "Installing";

  private final Database db;
  private final Map<PackageId, ProgressTracker> initializing = new ConcurrentHashMap<>();

  InstallProgress(Database db) {
    this.db = db;
  }

  static FullProgress phases() {
    return FullProgress.of(UPLOADING, VALIDATING, UNPACKING, INSTALLING);
  }

  /**
   * Sets one phase, on the socket and in the entry while it is installing or updating. A value the
   * phase already has changes nothing: a package repeating its progress costs no commit.
   */
  void show(PackageId id, ProgressTracker progress, String phase, JsonNode value) {
    FullProgress now = progress.current();
    if (now.phases().contains(new FullProgress.Phase(phase, value))) {
      return;
    }
    FullProgress next = now.withPhase(phase, value);
    progress.update(next);
    db.mutate(tx ->
        tx.get(PackagePaths.state(id))
            .filter(InstallProgress::hasProgress)
            .ifPresent(s -> tx.put(PackagePaths.state(id), s.withProgress(next))));
  }

  /** While {@code body} runs (the package's init), its reports show in {@code progress}. */
  <T extends Exception> void during(PackageId id, ProgressTracker progress, Body<T> body)
      throws T, InterruptedException {
    initializing.put(id, progress);
    try {
      body.run();
    } finally {
      initializing.remove(id, progress);
    }
  }

  interface Body<T extends Exception> {
    void run() throws T, InterruptedException;
  }

  /** A report from the package's {@code set-init-progress}: ignored unless it is initializing. */
  void reported(PackageId id, JsonNode value) {
    ProgressTracker progress = initializing.get(id);
    if (progress != null) {
      show(id, progress, INSTALLING, value);
    }
  }

  /** Whether a state holds an install's progress. */
  static boolean hasProgress(PackageState s) {
    return s instanceof PackageState.Installing
        || s instanceof PackageState.Restoring
        || s instanceof PackageState.Updating;
  }
}
