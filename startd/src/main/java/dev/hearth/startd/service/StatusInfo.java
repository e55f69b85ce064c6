package dev.hearth.startd.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service's run state (lifecycle.md §3.1): what the user wants ({@code desired}), what is true
 * ({@code started}), health reports, and the error that stopped it from loading. The transitions of
 * §3.2 are the {@code with…} methods, pure functions of the current value.
 */
public record StatusInfo(
    Map<String, Health> health,
    @Nullable ErrorData error,
    @Nullable String started,
    Desired desired) {

  public record Health(String name, String result, @Nullable String message) {}

  /** {@code info}: the log tail at the time of the failure, for the user. */
  public record ErrorData(String details, @Nullable String debug, @Nullable JsonNode info) {}

  /**
   * Tagged by {@code main}: stopped, running, restarting {restartAgain}, backing-up {onComplete}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Desired(String main, @Nullable Boolean restartAgain, @Nullable String onComplete) {
    public static final Desired STOPPED = new Desired("stopped", null, null);
    public static final Desired RUNNING = new Desired("running", null, null);

    public Desired {
      Objects.requireNonNull(main, "main");
    }

    static Desired restarting(boolean again) {
      return new Desired("restarting", again, null);
    }
  }

  public StatusInfo {
    health = Map.copyOf(health);
    Objects.requireNonNull(desired, "desired");
  }

  static StatusInfo stopped() {
    return new StatusInfo(Map.of(), null, null, Desired.STOPPED);
  }

  StatusInfo withDesired(Desired d) {
    return new StatusInfo(health, error, started, d);
  }

  /** {@code package.start}. */
  StatusInfo start() {
    return switch (desired.main()) {
      case "stopped" -> withDesired(Desired.RUNNING).withError(null);
      case "backing-up" -> withDesired(new Desired("backing-up", null, "start"));
      default -> this;
    };
  }

  /** {@code package.stop}: also clears health. */
  StatusInfo stop() {
    Desired d =
        desired.main().equals("backing-up")
            ? new Desired("backing-up", null, "stop")
            : Desired.STOPPED;
    return new StatusInfo(Map.of(), error, started, d);
  }

  /** {@code package.restart}. */
  StatusInfo restart() {
    Desired d =
        switch (desired.main()) {
          case "running" -> Desired.restarting(false);
          case "restarting" -> started == null ? Desired.restarting(true) : desired;
          default -> desired;
        };
    return new StatusInfo(Map.of(), error, started, d);
  }

  /** The container reported main started. */
  StatusInfo startedAt(String now) {
    Desired d = desired;
    if (desired.main().equals("restarting")) {
      d = Boolean.TRUE.equals(desired.restartAgain()) ? Desired.restarting(false) : Desired.RUNNING;
    }
    return new StatusInfo(health, error, started == null ? now : started, d);
  }

  /** The container reported main stopped. */
  StatusInfo stoppedNow() {
    return new StatusInfo(Map.of(), error, null, desired);
  }

  /** At daemon boot: nothing runs yet; interrupted restarts and backups resolve. */
  StatusInfo booted() {
    Desired d =
        switch (desired.main()) {
          case "restarting" -> Desired.RUNNING;
          case "backing-up" ->
              "start".equals(desired.onComplete()) ? Desired.RUNNING : Desired.STOPPED;
          default -> desired;
        };
    return new StatusInfo(Map.of(), error, null, d);
  }

  StatusInfo withError(@Nullable ErrorData e) {
    return new StatusInfo(health, e, started, desired);
  }

  StatusInfo withHealth(String id, Health h) {
    var next = new LinkedHashMap<>(health);
    next.put(id, h);
    return new StatusInfo(next, error, started, desired);
  }
}
