package dev.hearth.startd.service.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desired-status transitions of lifecycle.md §3.2, the reconcile table of §3.3, the wire. */
class StatusInfoTest {
  private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static StatusInfo running() {
    return StatusInfo.stopped().start().startedAt(NOW);
  }

  @Test
  void startFromStoppedWantsRunningAndClearsTheError() {
    StatusInfo s =
        StatusInfo.stopped().withError(new StatusInfo.ErrorData("boom", null, null)).start();
    assertThat(s.desired()).isEqualTo(Desired.RUNNING);
    assertThat(s.error()).isNull();
  }

  @Test
  void stopClearsHealthAndKeepsBackupsGoing() {
    StatusInfo s =
        running().withHealth("web", new Health("Web", Health.Result.SUCCESS, null)).stop();
    assertThat(s.desired()).isEqualTo(Desired.STOPPED);
    assertThat(s.health()).isEmpty();
    StatusInfo backingUp =
        running().withDesired(new Desired.BackingUp(Desired.OnComplete.START)).stop();
    assertThat(backingUp.desired()).isEqualTo(new Desired.BackingUp(Desired.OnComplete.STOP));
  }

  @Test
  void restartGoesThroughRestartingBackToRunning() {
    StatusInfo r = running().restart();
    assertThat(r.desired()).isEqualTo(new Desired.Restarting(false));
    assertThat(r.nextStep()).isEqualTo(StatusInfo.Step.STOP);
    StatusInfo stoppedForRestart = r.stoppedNow();
    assertThat(stoppedForRestart.started()).isNull();
    assertThat(stoppedForRestart.nextStep()).isEqualTo(StatusInfo.Step.START);
    assertThat(stoppedForRestart.startedAt(NOW).desired()).isEqualTo(Desired.RUNNING);
    assertThat(stoppedForRestart.startedAt(NOW).nextStep()).isEqualTo(StatusInfo.Step.NONE);
  }

  @Test
  void aSecondRestartBeforeTheFirstStartedRestartsAgain() {
    StatusInfo again = running().restart().stoppedNow().restart();
    assertThat(again.desired()).isEqualTo(new Desired.Restarting(true));
    assertThat(again.startedAt(NOW).desired()).isEqualTo(new Desired.Restarting(false));
  }

  @Test
  void restartOfAStoppedServiceDoesNothing() {
    assertThat(StatusInfo.stopped().restart().desired()).isEqualTo(Desired.STOPPED);
    assertThat(StatusInfo.stopped().nextStep()).isEqualTo(StatusInfo.Step.NONE);
  }

  @Test
  void aBackupStopsMainAndThenWaitsForTheBackup() {
    StatusInfo backingUp = running().withDesired(new Desired.BackingUp(Desired.OnComplete.START));
    assertThat(backingUp.nextStep()).isEqualTo(StatusInfo.Step.STOP);
    assertThat(backingUp.stoppedNow().nextStep()).isEqualTo(StatusInfo.Step.NONE);
  }

  @Test
  void bootForgetsWhatRanAndResolvesInterruptedTransitions() {
    assertThat(running().restart().booted().desired()).isEqualTo(Desired.RUNNING);
    assertThat(running().booted().started()).isNull();
    assertThat(
            running()
                .withDesired(new Desired.BackingUp(Desired.OnComplete.STOP))
                .booted()
                .desired())
        .isEqualTo(Desired.STOPPED);
    assertThat(
            running()
                .withHealth("a", new Health("A", Health.Result.SUCCESS, null))
                .booted()
                .health())
        .isEqualTo(Map.of());
  }

  @Test
  void theWireFormIsTheSpecs() throws Exception {
    StatusInfo s =
        running()
            .restart()
            .withHealth("web", new Health("Web", Health.Result.FAILURE, "down"))
            .withError(new StatusInfo.ErrorData("boom", "Ex", null));
    String json = JSON.writeValueAsString(s);
    assertThat(JSON.readTree(json))
        .isEqualTo(
            JSON.readTree(
                """
                {"health":{"web":{"name":"Web","result":"failure","message":"down"}},
                 "error":{"details":"boom","debug":"Ex","info":null},
                 "started":"2026-11-22T00:00:00Z",
                 "desired":{"main":"restarting","restartAgain":false}}
                """));
    assertThat(JSON.readValue(json, StatusInfo.class)).isEqualTo(s);
    for (String desired :
        new String[] {
          "{\"main\":\"stopped\"}",
          "{\"main\":\"running\"}",
          "{\"main\":\"backing-up\",\"onComplete\":\"start\"}"
        }) {
      assertThat(JSON.readTree(JSON.writeValueAsString(JSON.readValue(desired, Desired.class))))
          .isEqualTo(JSON.readTree(desired));
    }
  }

  @Test
  void aFailingCheckNeedsAMessage() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Health("Web", Health.Result.FAILURE, null))
        .hasMessageContaining("failure result needs a message");
  }
}
