package dev.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The displayed status of lifecycle.md §3.4, rule by rule. */
class DisplayedStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode installed(String statusInfo, String tasks) throws Exception {
    return JSON.readTree(
        ("{'stateInfo':{'state':'installed'},'statusInfo':"
                + statusInfo
                + ",'tasks':"
                + tasks
                + "}")
            .replace('\'', '"'));
  }

  private static JsonNode installed(String statusInfo) throws Exception {
    return installed(statusInfo, "{}");
  }

  private static final String CRITICAL =
      "{'r1':{'active':true,'task':{'packageId':'p','actionId':'a','severity':'critical'}}}";

  @Test
  void aPackageNotInstalledShowsItsState() throws Exception {
    assertThat(DisplayedStatus.of(JSON.readTree("{\"stateInfo\":{\"state\":\"installing\"}}")))
        .isEqualTo("installing");
    assertThat(DisplayedStatus.of(JSON.readTree("{\"stateInfo\":{\"state\":\"removing\"}}")))
        .isEqualTo("removing");
  }

  @Test
  void theRulesApplyInTheirOrder() throws Exception {
    String error = "{'details':'boom','debug':null,'info':null}";
    assertThat(
            DisplayedStatus.of(
                installed(
                    "{'desired':{'main':'running'},'started':null,'error':" + error + "}",
                    CRITICAL)))
        .isEqualTo("error");
    assertThat(DisplayedStatus.of(installed("{'desired':{'main':'running'},'started':null}")))
        .isEqualTo("starting");
    assertThat(
            DisplayedStatus.of(
                installed(
                    "{'desired':{'main':'running'},'started':'2026-01-01T00:00:00Z',"
                        + "'health':{'h':{'name':'Web','result':'starting','message':null}}}")))
        .isEqualTo("starting");
    assertThat(
            DisplayedStatus.of(
                installed("{'desired':{'main':'stopped'},'started':'2026-01-01T00:00:00Z'}")))
        .isEqualTo("stopping");
    assertThat(
            DisplayedStatus.of(
                installed(
                    "{'desired':{'main':'running'},'started':'2026-01-01T00:00:00Z',"
                        + "'health':{'h':{'name':'Web','result':'success','message':null}}}")))
        .isEqualTo("running");
    assertThat(DisplayedStatus.of(installed("{'desired':{'main':'stopped'},'started':null}")))
        .isEqualTo("stopped");
    assertThat(
            DisplayedStatus.of(
                installed("{'desired':{'main':'restarting','restartAgain':false},'started':null}")))
        .isEqualTo("restarting");
  }

  @Test
  void anActiveCriticalTaskIsShownUnlessSomethingMoreUrgentIs() throws Exception {
    String stopped = "{'desired':{'main':'stopped'},'started':null}";
    assertThat(DisplayedStatus.of(installed(stopped, CRITICAL))).isEqualTo("task-required");
    assertThat(DisplayedStatus.of(installed(stopped, CRITICAL.replace("true", "false"))))
        .isEqualTo("stopped");
    assertThat(DisplayedStatus.of(installed(stopped, CRITICAL.replace("critical", "important"))))
        .isEqualTo("stopped");
    assertThat(
            DisplayedStatus.of(
                installed("{'desired':{'main':'backing-up','onComplete':'stop'}}", CRITICAL)))
        .isEqualTo("backing-up");
  }

  @Test
  void healthIsAWordOrTheFirstCheckThatIsNotWell() throws Exception {
    assertThat(DisplayedStatus.health(installed("{'desired':{'main':'stopped'},'health':{}}")))
        .isEqualTo("-");
    assertThat(
            DisplayedStatus.health(
                installed(
                    "{'health':{'a':{'name':'A','result':'success','message':'ok'},"
                        + "'b':{'name':'B','result':'disabled','message':null}}}")))
        .isEqualTo("healthy");
    assertThat(
            DisplayedStatus.health(
                installed(
                    "{'health':{'a':{'name':'A','result':'success','message':'ok'},"
                        + "'b':{'name':'B','result':'failure','message':'no answer'}}}")))
        .isEqualTo("B: failure (no answer)");
  }

  @Test
  void theErrorIsItsFirstLineOrNothing() throws Exception {
    assertThat(
            DisplayedStatus.error(
                installed(
                    "{'error':{'details':'main failed: TypeError: Invalid URL\\n    at x'},"
                        + "'desired':{'main':'running'}}")))
        .isEqualTo("main failed: TypeError: Invalid URL");
    assertThat(DisplayedStatus.error(installed("{'error':null,'desired':{'main':'running'}}")))
        .isEmpty();
    String longer = "x".repeat(500);
    assertThat(
            DisplayedStatus.error(
                installed("{'error':{'details':'" + longer + "'},'desired':{'main':'running'}}")))
        .hasSize(160)
        .endsWith("…");
  }
}
