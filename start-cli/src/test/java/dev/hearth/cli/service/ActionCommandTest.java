package dev.hearth.cli.service;

import static dev.hearth.cli.service.PackageCommandTest.json;
import static dev.hearth.cli.service.PackageCommandTest.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.keys.Console;
import dev.hearth.cli.rpc.FakeStartd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start-cli package action run} the way lifecycle.md §3.6 runs an action. */
class ActionCommandTest {
  private static final String FORM =
      """
      {"eventId": "E1",
       "spec": {"user": {"type": "text", "name": "User", "masked": false},
                "password": {"type": "text", "name": "Password", "masked": true},
                "smtp": {"type": "union", "name": "SMTP", "variants": {
                   "custom": {"name": "Custom", "spec": {
                      "pass": {"type": "text", "name": "Pass", "masked": true}}}}},
                "keys": {"type": "list", "name": "Keys",
                         "spec": {"type": "text", "masked": true}}},
       "value": {"user": "bob", "password": "hunter2",
                 "smtp": {"selection": "custom", "value": {"pass": "swordfish"}},
                 "keys": ["k1"]}}
      """;

  private static final String RESULT =
      """
      {"version": "1", "title": "Credentials", "message": "Log in with these.\\nKeep them safe.",
       "result": {"type": "group", "value": [
         {"type": "single", "name": "Username", "description": null, "value": "admin",
          "copyable": true, "qr": false, "masked": false},
         {"type": "group", "name": "Tor", "description": "Over Tor", "value": [
           {"type": "single", "name": "Address", "description": null, "value": "abc.onion",
            "copyable": true, "qr": true, "masked": false}]},
         {"type": "single", "name": "Key", "description": null, "value": "line one\\nline two",
          "copyable": true, "qr": false, "masked": true}]}}
      """;

  @TempDir Path dir;
  FakeStartd startd;

  @BeforeEach
  void start() throws Exception {
    startd = FakeStartd.start().answer("package.action.get-input", FORM);
  }

  @AfterEach
  void stop() throws Exception {
    startd.close();
  }

  private Console cli(String... args) throws Exception {
    return Console.run(startd.commandLine(dir, args));
  }

  @Test
  void runWithoutInputSendsTheFormsValueWithItsEventIdAndPrintsItMasked() throws Exception {
    Console c = cli("package", "action", "run", "hello", "config");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(methods(startd)).containsExactly("package.action.get-input", "package.action.run");
    assertThat(startd.params("package.action.get-input"))
        .isEqualTo(json("{'packageId':'hello','actionId':'config','prefill':null}"));
    assertThat(startd.params("package.action.run"))
        .isEqualTo(
            json(
                "{'packageId':'hello','actionId':'config','eventId':'E1','input':"
                    + "{'user':'bob','password':'hunter2',"
                    + "'smtp':{'selection':'custom','value':{'pass':'swordfish'}},"
                    + "'keys':['k1']}}"));
    assertThat(c.out())
        .startsWith(
            "Input: {\"user\":\"bob\",\"password\":\"********\",\"smtp\":{\"selection\":\"custom\","
                + "\"value\":{\"pass\":\"********\"}},\"keys\":[\"********\"]}\n")
        .doesNotContain("hunter2", "swordfish", "k1");
  }

  @Test
  void runWithInputStillAsksForTheFormToGetTheEventId() throws Exception {
    Console c = cli("package", "action", "run", "hello", "config", "--input", "{\"user\":\"al\"}");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(methods(startd)).containsExactly("package.action.get-input", "package.action.run");
    assertThat(startd.params("package.action.run"))
        .isEqualTo(
            json("{'packageId':'hello','actionId':'config','eventId':'E1','input':{'user':'al'}}"));
    assertThat(c.out()).doesNotContain("Input:");
  }

  @Test
  void runWithInputFromAFileAndAnEventIdGoesAlone() throws Exception {
    Path input = Files.writeString(dir.resolve("input.json"), "{\"user\": \"cy\"}");
    Console c =
        cli(
            "package",
            "action",
            "run",
            "hello",
            "config",
            "--input-file",
            input.toString(),
            "--event-id",
            "E9");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(methods(startd)).containsExactly("package.action.run");
    assertThat(startd.params("package.action.run"))
        .isEqualTo(
            json("{'packageId':'hello','actionId':'config','eventId':'E9','input':{'user':'cy'}}"));
  }

  @Test
  void runOfAnActionWithoutInputSendsNeither() throws Exception {
    startd.answer("package.action.get-input", "null");
    Console c = cli("package", "action", "run", "hello", "restart-tor");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(startd.params("package.action.run"))
        .isEqualTo(
            json("{'packageId':'hello','actionId':'restart-tor','eventId':null,'input':null}"));
    assertThat(c.out()).isEmpty();
  }

  @Test
  void runPrintsTheResultWithGroupMembersIndented() throws Exception {
    startd.answer("package.action.run", RESULT);
    Console c = cli("package", "action", "run", "hello", "config", "--input", "{}");
    assertThat(c.out().lines())
        .containsExactly(
            "Credentials",
            "Log in with these.",
            "Keep them safe.",
            "  Username: admin",
            "  Tor:",
            "    Address: abc.onion",
            "  Key:",
            "    line one",
            "    line two");
  }

  @Test
  void aSingleResultPrintsItsValueUnderTheTitle() throws Exception {
    startd.answer(
        "package.action.run",
        "{\"version\":\"1\",\"title\":\"Password reset\",\"message\":null,\"result\":"
            + "{\"type\":\"single\",\"value\":\"s3cret\",\"copyable\":true,\"qr\":false,"
            + "\"masked\":true}}");
    Console c = cli("package", "action", "run", "hello", "reset", "--input", "{}");
    assertThat(c.out().lines()).containsExactly("Password reset", "  s3cret");
  }

  @Test
  void inJsonTheResultIsTheOnlyOutputAndTheInputNoteGoesToStderr() throws Exception {
    startd.answer("package.action.run", RESULT);
    Console c = cli("--format", "json", "package", "action", "run", "hello", "config");
    assertThat(new ObjectMapper().readTree(c.out()).path("title").asText())
        .isEqualTo("Credentials");
    assertThat(c.stderr()).startsWith("Input: {\"user\":\"bob\",\"password\":\"********\"");
  }

  @Test
  void inputThatIsNotJsonIsAUsageError() throws Exception {
    Console c = cli("package", "action", "run", "hello", "config", "--input", "{user: bob");
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(c.stderr()).contains("Invalid value for option '--input'").contains("not JSON");
    assertThat(startd.calls()).isEmpty();
  }

  @Test
  void anEmptyInputFileIsRefusedBeforeAnythingIsSent() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.json"), "");
    Console c =
        cli("package", "action", "run", "hello", "config", "--input-file", empty.toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).contains(empty + " holds no JSON");
    assertThat(startd.calls()).isEmpty();
  }

  @Test
  void inputAndInputFileExcludeEachOther() throws Exception {
    Console c =
        cli(
            "package",
            "action",
            "run",
            "hello",
            "config",
            "--input",
            "{}",
            "--input-file",
            "x.json");
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(c.stderr()).contains("mutually exclusive");
  }

  @Test
  void getInputPrintsTheFormOrSaysThereIsNone() throws Exception {
    assertThat(json(cli("package", "action", "get-input", "hello", "config").out()).get("eventId"))
        .isEqualTo(json("'E1'"));
    startd.answer("package.action.get-input", "null");
    assertThat(cli("package", "action", "get-input", "hello", "restart-tor").out())
        .isEqualTo("restart-tor takes no input\n");
  }
}
