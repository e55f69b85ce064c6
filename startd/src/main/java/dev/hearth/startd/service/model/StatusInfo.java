package dev.hearth.startd.service.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service's run state (lifecycle.md §3.1): what the user wants ({@code desired}), what is true
 * ({@code started}), health reports, and the error that stopped it from loading. The transitions of
 * §3.2 are the methods below, pure functions of the current value.
 */
public record StatusInfo(
    Map<String, Health> health,
    @Nullable ErrorData error,
    @JsonSerialize(using = Rfc3339.Writer.class) @JsonDeserialize(using = Rfc3339.Reader.class)
        @Nullable Instant started,
    Desired desired) {

  /** {@code info}: the log tail at the time of the failure, for the user. */
  public record ErrorData(String details, @Nullable String debug, @Nullable JsonNode info) {
    public ErrorData {
      Objects.requireNonNull(details, "details");
      if (info != null && info.isNull()) {
        info = null; // JSON null reads as a NullNode; one absence, one value
      }
    }
  }

  public StatusInfo {
    health = Map.copyOf(health);
    Objects.requireNonNull(desired, "desired");
  }

  public static StatusInfo stopped() {
    return new StatusInfo(Map.of(), null, null, Desired.STOPPED);
  }

  public boolean isStarted() {
    return started != null;
  }

  public StatusInfo withDesired(Desired d) {
    return new StatusInfo(health, error, started, d);
  }

  /** {@code package.start}. */
  public StatusInfo start() {
    return switch (desired) {
      case Desired.Stopped s -> withDesired(Desired.RUNNING).withError(null);
      case Desired.BackingUp b -> withDesired(new Desired.BackingUp(Desired.OnComplete.START));
      case Desired.Running r -> this;
      case Desired.Restarting r -> this;
    };
  }

  /** {@code package.stop}: also clears health. */
  public StatusInfo stop() {
    Desired d =
        desired instanceof Desired.BackingUp
            ? new Desired.BackingUp(Desired.OnComplete.STOP)
            : Desired.STOPPED;
    return new StatusInfo(Map.of(), error, started, d);
  }

  /** {@code package.restart}: also clears health. */
  public StatusInfo restart() {
    Desired d =
        switch (desired) {
          case Desired.Running r -> new Desired.Restarting(false);
          case Desired.Restarting r when started == null -> new Desired.Restarting(true);
          case Desired.Restarting r -> r;
          case Desired.Stopped s -> s;
          case Desired.BackingUp b -> b;
        };
    return new StatusInfo(Map.of(), error, started, d);
  }

  /** The container reported main started. */
  public StatusInfo startedAt(Instant now) {
    Desired d =
        desired instanceof Desired.Restarting r
            ? (r.restartAgain() ? new Desired.Restarting(false) : Desired.RUNNING)
            : desired;
    return new StatusInfo(health, error, started == null ? now : started, d);
  }

  /** The container reported main stopped: health goes with it. */
  public StatusInfo stoppedNow() {
    return new StatusInfo(Map.of(), error, null, desired);
  }

  /** At daemon boot: nothing runs yet; interrupted restarts and backups resolve. */
  public StatusInfo booted() {
    Desired d =
        switch (desired) {
          case Desired.Restarting r -> Desired.RUNNING;
          case Desired.BackingUp b ->
              b.onComplete() == Desired.OnComplete.START ? Desired.RUNNING : Desired.STOPPED;
          case Desired.Running r -> r;
          case Desired.Stopped s -> s;
        };
    return new StatusInfo(Map.of(), error, null, d);
  }

  public StatusInfo withError(@Nullable ErrorData e) {
    return new StatusInfo(health, e, started, desired);
  }

  public StatusInfo withHealth(String id, Health h) {
    var next = new LinkedHashMap<>(health);
    next.put(id, h);
    return new StatusInfo(next, error, started, desired);
  }

  /** The step that brings the container toward {@code desired} (lifecycle.md §3.3). */
  public Step nextStep() {
    return switch (desired) {
      case Desired.Running r when started == null -> Step.START;
      case Desired.Restarting r when started == null -> Step.START;
      case Desired.Restarting r -> Step.STOP;
      case Desired.Stopped s when started != null -> Step.STOP;
      case Desired.BackingUp b when started != null -> Step.STOP;
      case Desired.Running r -> Step.NONE;
      case Desired.Stopped s -> Step.NONE;
      case Desired.BackingUp b -> Step.NONE; // the backup transition comes with backups
    };
  }

  /** What reconciling does next. */
  public enum Step {
    START,
    STOP,
    NONE
  }
}
