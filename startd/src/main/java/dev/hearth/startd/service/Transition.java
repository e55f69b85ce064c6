package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.continuation.ProgressTracker;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A message to a {@link ServiceActor}: every change of one service goes through its actor as one of
 * these, one at a time, and its outcome reaches the sender through the future it carries.
 */
sealed interface Transition {
  /**
   * Installs a verified package: a first install, or an update or downgrade of the installed one
   * (one transition: the two manifests' version ranges decide the migration's direction).
   *
   * @param accepted the new signer the user accepted for this update, or null
   */
  record Install(
      VerifiedPackage pkg,
      ProgressTracker progress,
      @Nullable SignerKey accepted,
      CompletableFuture<Void> done)
      implements Transition {}

  /**
   * Removes the package. {@code accepted} completes once it is marked removing (what the RPC
   * answers); {@code done} when it is gone.
   */
  record Uninstall(
      Uninstaller.Mode mode, CompletableFuture<Void> accepted, CompletableFuture<Void> done)
      implements Transition {}

  /** {@code package.start}; {@code force} starts despite a critical task. */
  record Start(boolean force, CompletableFuture<Void> done) implements Transition {}

  record Stop(CompletableFuture<Void> done) implements Transition {}

  record Restart(CompletableFuture<Void> done) implements Transition {}

  /** Tears the container down and loads it again (container-runtime.md §5.3). */
  record Rebuild(CompletableFuture<Void> done) implements Transition {}

  /**
   * Lets an action run if the service's state allows it; the run itself happens beside the actor,
   * so a long action never holds up a stop, and an action may run another.
   */
  record RunAction(
      String actionId,
      @Nullable String eventId,
      @Nullable JsonNode input,
      CompletableFuture<JsonNode> result)
      implements Transition {}

  /** At daemon start: load the installed service (lifecycle.md §3.2 boot). */
  record Boot(CompletableFuture<Void> done) implements Transition {}

  /** At daemon stop: exit toward the current version, tear down, end the actor. */
  record Shutdown(CompletableFuture<Void> done) implements Transition {}

  /**
   * Completes once every message before it is handled and the service reconciled: a caller that
   * must see the effect of what it sent waits on it, without polling.
   */
  record Settle(CompletableFuture<Void> done) implements Transition {}

  /** Something the actor was told by a signal (a runtime died, a timer fired): look again. */
  record Wake() implements Transition {}

  /** The future that reports this transition's outcome, if it has one. */
  default @Nullable CompletableFuture<?> outcome() {
    return switch (this) {
      case Install t -> t.done();
      case Uninstall t -> t.done();
      case Start t -> t.done();
      case Stop t -> t.done();
      case Restart t -> t.done();
      case Rebuild t -> t.done();
      case RunAction t -> t.result();
      case Boot t -> t.done();
      case Shutdown t -> t.done();
      case Settle t -> t.done();
      case Wake t -> null;
    };
  }
}
