package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the user wants of a service's main (lifecycle.md §3.1), tagged by {@code main} on the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "main")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Desired.Stopped.class, name = "stopped"),
  @JsonSubTypes.Type(value = Desired.Running.class, name = "running"),
  @JsonSubTypes.Type(value = Desired.Restarting.class, name = "restarting"),
  @JsonSubTypes.Type(value = Desired.BackingUp.class, name = "backing-up")
})
public sealed interface Desired {
  Stopped STOPPED = new Stopped();
  Running RUNNING = new Running();

  record Stopped() implements Desired {}

  record Running() implements Desired {}

  /**
   * @param restartAgain a restart asked for before the last one's start: start, then restart once
   *     more
   */
  record Restarting(boolean restartAgain) implements Desired {}

  /** What the service goes back to when the backup ends. */
  record BackingUp(OnComplete onComplete) implements Desired {}

  enum OnComplete {
    @JsonProperty("start")
    START,
    @JsonProperty("stop")
    STOP
  }

  /** Whether main should be running: running, or restarting (stopped first, then started). */
  default boolean wantsMain() {
    return this instanceof Running || this instanceof Restarting;
  }
}
