package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desired-status transitions of lifecycle.md §3.2. */
class StatusInfoTest {
  private static final String NOW = "2026-11-22T00:00:00Z";

  private static StatusInfo running() {
    return StatusInfo.stopped().start().startedAt(NOW);
  }

  @Test
  void startFromStoppedWantsRunningAndClearsTheError() {
    StatusInfo s =
        StatusInfo.stopped().withError(new StatusInfo.ErrorData("boom", null, null)).start();
    assertThat(s.desired()).isEqualTo(StatusInfo.Desired.RUNNING);
    assertThat(s.error()).isNull();
  }

  @Test
  void stopClearsHealthAndKeepsBackupsGoing() {
    StatusInfo s =
        running().withHealth("web", new StatusInfo.Health("Web", "success", null)).stop();
    assertThat(s.desired()).isEqualTo(StatusInfo.Desired.STOPPED);
    assertThat(s.health()).isEmpty();
    StatusInfo backingUp =
        running().withDesired(new StatusInfo.Desired("backing-up", null, "start")).stop();
    assertThat(backingUp.desired()).isEqualTo(new StatusInfo.Desired("backing-up", null, "stop"));
  }

  @Test
  void restartGoesThroughRestartingBackToRunning() {
    StatusInfo r = running().restart();
    assertThat(r.desired()).isEqualTo(new StatusInfo.Desired("restarting", false, null));
    StatusInfo stoppedForRestart = r.stoppedNow();
    assertThat(stoppedForRestart.started()).isNull();
    assertThat(stoppedForRestart.startedAt(NOW).desired()).isEqualTo(StatusInfo.Desired.RUNNING);
  }

  @Test
  void aSecondRestartBeforeTheFirstStartedRestartsAgain() {
    StatusInfo again = running().restart().stoppedNow().restart();
    assertThat(again.desired()).isEqualTo(new StatusInfo.Desired("restarting", true, null));
    assertThat(again.startedAt(NOW).desired())
        .isEqualTo(new StatusInfo.Desired("restarting", false, null));
  }

  @Test
  void restartOfAStoppedServiceDoesNothing() {
    assertThat(StatusInfo.stopped().restart().desired()).isEqualTo(StatusInfo.Desired.STOPPED);
  }

  @Test
  void bootForgetsWhatRanAndResolvesInterruptedTransitions() {
    assertThat(running().restart().booted().desired()).isEqualTo(StatusInfo.Desired.RUNNING);
    assertThat(running().booted().started()).isNull();
    assertThat(
            running()
                .withDesired(new StatusInfo.Desired("backing-up", null, "stop"))
                .booted()
                .desired())
        .isEqualTo(StatusInfo.Desired.STOPPED);
    assertThat(
            running()
                .withHealth("a", new StatusInfo.Health("A", "success", null))
                .booted()
                .health())
        .isEqualTo(Map.of());
  }
}
