package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.keys.Console;
import dev.hearth.cli.rpc.FakeStartd;
import dev.hearth.error.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code start-cli package …} and {@code server rebuild} against a stand-in daemon. */
class PackageCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeStartd startd;

  @BeforeEach
  void start() throws Exception {
    startd =
        FakeStartd.start()
            .answer("package.list", "[]")
            .answer("package.stats", "{}")
            .answer("package.logs", "{\"entries\":[],\"startCursor\":null,\"endCursor\":null}");
  }

  @AfterEach
  void stop() throws Exception {
    startd.close();
  }

  private Console cli(String... args) throws Exception {
    return Console.run(startd.commandLine(dir, args));
  }

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of("package start hello", "package.start", "{'id':'hello','force':false}"),
        Arguments.of("package start hello --force", "package.start", "{'id':'hello','force':true}"),
        Arguments.of("package stop hello", "package.stop", "{'id':'hello'}"),
        Arguments.of("package restart hello", "package.restart", "{'id':'hello'}"),
        Arguments.of(
            "package uninstall hello",
            "package.uninstall",
            "{'id':'hello','soft':false,'force':false}"),
        Arguments.of(
            "package uninstall hello --soft --force",
            "package.uninstall",
            "{'id':'hello','soft':true,'force':true}"),
        Arguments.of(
            "package logs hello --limit 50 --cursor c7 --before",
            "package.logs",
            "{'id':'hello','limit':50,'cursor':'c7','boot':null,'before':true}"),
        Arguments.of("package stats", "package.stats", "{}"),
        Arguments.of("package rebuild hello", "package.rebuild", "{'id':'hello'}"),
        Arguments.of(
            "package installed-version hello", "package.installed-version", "{'id':'hello'}"),
        Arguments.of("package cancel-install hello", "package.cancel-install", "{'id':'hello'}"),
        Arguments.of(
            "package action get-input hello config --prefill {\"txindex\":true}",
            "package.action.get-input",
            "{'packageId':'hello','actionId':'config','prefill':{'txindex':true}}"),
        Arguments.of(
            "package action get-input hello config",
            "package.action.get-input",
            "{'packageId':'hello','actionId':'config','prefill':null}"),
        Arguments.of(
            "package action clear-task hello bitcoind:config",
            "package.action.clear-task",
            "{'packageId':'hello','replayId':'bitcoind:config','force':false}"),
        Arguments.of(
            "package action clear-task hello bitcoind:config --force",
            "package.action.clear-task",
            "{'packageId':'hello','replayId':'bitcoind:config','force':true}"),
        Arguments.of("server rebuild", "server.rebuild", "{}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandLines")
  void eachCommandLineSendsItsMethodWithTheseParams(String line, String method, String params)
      throws Exception {
    Console c = cli(line.split(" "));
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(startd.calls()).hasSize(1);
    assertThat(startd.params(method)).isEqualTo(json(params));
  }

  @Test
  void listPrintsTheDisplayedStatusAndHealthOrTheJson() throws Exception {
    startd
        .answer(
            "package.list",
            "[{'id':'hello-world','version':'0.4.0:0','status':'installed'},".replace('\'', '"')
                + "{\"id\":\"bitcoind\",\"version\":\"28.1:2\",\"status\":\"installing\"}]")
        .answer(
            "db.dump",
            json("{'id':7,'value':{'hello-world':{'stateInfo':{'state':'installed'},"
                    + "'statusInfo':{'desired':{'main':'running'},'started':'2026-01-01T00:00:00Z',"
                    + "'error':null,'health':{'web':{'name':'Web','result':'failure',"
                    + "'message':'no answer'}}},'tasks':{}}}}")
                .toString());
    assertThat(cli("package", "list").out().lines())
        .containsExactly(
            "ID           VERSION  STATUS      HEALTH",
            "hello-world  0.4.0:0  running     Web: failure (no answer)",
            "bitcoind     28.1:2   installing  -");
    assertThat(startd.params("db.dump")).isEqualTo(json("{'pointer':'/public/packageData'}"));
    JsonNode json = JSON.readTree(cli("--format", "json", "package", "list").out());
    assertThat(json.get(0).get("status").asText()).isEqualTo("installed");
    assertThat(json.get(1).get("status").asText()).isEqualTo("installing");
  }

  @Test
  void listShowsWhyAServiceIsNotRunning() throws Exception {
    startd
        .answer(
            "package.list",
            "[{\"id\":\"hello-world\",\"version\":\"0.4.0:0\",\"status\":\"error\"}]")
        .answer(
            "db.dump",
            json("{'id':7,'value':{'hello-world':{'stateInfo':{'state':'installed'},"
                    + "'statusInfo':{'desired':{'main':'running'},'started':null,"
                    + "'error':{'details':'main failed: TypeError: Invalid URL','debug':null},"
                    + "'health':{}},'tasks':{}}}}")
                .toString());
    assertThat(cli("package", "list").out().lines())
        .containsExactly(
            "ID           VERSION  STATUS  HEALTH  ERROR",
            "hello-world  0.4.0:0  error   -       main failed: TypeError: Invalid URL");
  }

  @Test
  void listFallsBackToThePackageStateWhenTheModelCannotBeRead() throws Exception {
    startd.answer(
        "package.list",
        "[{\"id\":\"hello-world\",\"version\":\"0.4.0:0\",\"status\":\"installed\"}]");
    startd.fail("db.dump", ErrorKind.AUTHORIZATION, "not allowed");
    Console c = cli("package", "list");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(c.out().lines())
        .containsExactly(
            "ID           VERSION  STATUS     HEALTH", "hello-world  0.4.0:0  installed  -");
  }

  @Test
  void statsShowMiBAndADashForAServiceThatIsNotRunning() throws Exception {
    startd.answer(
        "package.stats",
        "{\"hello\":{\"container_id\":\"hello-x1\",\"memory_usage\":12.25,\"memory_limit\":512},"
            + "\"bye\":null}");
    assertThat(cli("package", "stats").out().lines())
        .containsExactly(
            "ID     CONTAINER  MEMORY    LIMIT",
            "hello  hello-x1   12.3 MiB  512.0 MiB",
            "bye    -          -         -");
  }

  @Test
  void installedVersionPrintsTheVersionOrNothing() throws Exception {
    startd.answer("package.installed-version", "\"0.4.0:0\"");
    assertThat(cli("package", "installed-version", "hello").out()).isEqualTo("0.4.0:0\n");
    startd.answer("package.installed-version", "null");
    Console none = cli("package", "installed-version", "nope");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).isEmpty();
  }

  @Test
  void anErrorFromTheDaemonIsPrintedWithExitCodeOne() throws Exception {
    startd.fail("package.start", ErrorKind.INVALID_REQUEST, "hello has an active critical task");
    Console c = cli("package", "start", "hello");
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).isEqualTo("Error: Invalid Request: hello has an active critical task\n");
  }

  @Test
  void logsFollowPrintsEachEntryOfTheStreamUntilItCloses() throws Exception {
    startd
        .answer("package.logs.follow", "{\"startCursor\":\"c0\",\"guid\":\"L\"}")
        .socket(
            "L",
            socket -> {
              socket.send(
                  "{\"timestamp\":\"2026-01-02T03:04:05Z\",\"message\":\"started\",\"bootId\":\"b\"}");
              socket.send(
                  "{\"timestamp\":\"2026-01-02T03:04:06Z\",\"message\":\"ready\",\"bootId\":\"b\"}");
              socket.close(1000, "complete");
            });
    Console c = cli("package", "logs", "hello", "--follow", "--limit", "10");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(c.out().lines())
        .containsExactly("2026-01-02T03:04:05Z started", "2026-01-02T03:04:06Z ready");
    assertThat(startd.params("package.logs.follow"))
        .isEqualTo(json("{'id':'hello','limit':10,'cursor':null,'boot':null,'before':false}"));
  }

  @Test
  void attachPrintsTheOutputAndExitsWithTheCommandsCode() throws Exception {
    startd
        .answer("package.attach", "\"A\"")
        .socket(
            "A",
            socket -> {
              socket.send("total 0\n");
              socket.send("drwxr-xr-x 2 root root 40 .\n");
              socket.close(1000, "exit 3");
            });
    Console c =
        cli(
            "package",
            "attach",
            "hello",
            "--subcontainer",
            "sc1",
            "--user",
            "root",
            "--",
            "ls",
            "-la",
            "/");
    assertThat(c.exitCode()).as(c.stderr()).isEqualTo(3);
    assertThat(c.out()).isEqualTo("total 0\ndrwxr-xr-x 2 root root 40 .\n");
    assertThat(startd.params("package.attach"))
        .isEqualTo(
            json(
                "{'id':'hello','command':['ls','-la','/'],'tty':false,'stderrTty':false,"
                    + "'ptySize':null,'subcontainer':'sc1','name':null,'imageId':null,"
                    + "'user':'root'}"));
  }

  @Test
  void attachSendsStdinThenItsEndAndPrintsBinaryOutputAsIs() throws Exception {
    var received = new java.util.concurrent.CopyOnWriteArrayList<String>();
    startd
        .answer("package.attach", "\"A\"")
        .socket(
            "A",
            socket -> {
              received.add(socket.receive());
              received.add(socket.receive());
              socket.sendBinary(new byte[] {'o', 'k', (byte) 0xe2, (byte) 0x80, (byte) 0x94});
              socket.close(1000, "exit 0");
            });
    Console c =
        Console.runWithInput(
            "line one\n".getBytes(StandardCharsets.UTF_8),
            startd.commandLine(dir, "package", "attach", "hello", "--", "cat"));
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(received).containsExactly("binary:line one\n", "text:{\"eof\":true}");
    assertThat(c.out()).isEqualTo("ok\u2014");
    assertThat(startd.params("package.attach").get("tty").asBoolean()).isFalse();
  }

  @Test
  void attachWithTtyAsksForATerminalEvenWhenThisIsNotOne() throws Exception {
    startd.answer("package.attach", "\"A\"").socket("A", socket -> socket.close(1000, "exit 0"));
    Console c = cli("package", "attach", "hello", "--tty", "--", "sh");
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(startd.params("package.attach").get("tty").asBoolean()).isTrue();
    assertThat(startd.params("package.attach").get("ptySize").isNull()).isTrue();
    assertThat(AttachCommand.resize(new LocalTerminal.Size(40, 120)))
        .isEqualTo("{\"resize\":{\"rows\":40,\"cols\":120}}");
  }

  @Test
  void attachThatTheServerEndsWithAnErrorPrintsItAndExitsOne() throws Exception {
    startd
        .answer("package.attach", "\"A\"")
        .socket("A", socket -> socket.close(1011, "hello is not running"));
    Console c = cli("package", "attach", "hello", "--", "true");
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).contains("hello is not running");
  }

  @Test
  void attachNeedsACommand() throws Exception {
    Console c = cli("package", "attach", "hello");
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(startd.calls()).isEmpty();
  }

  static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  static List<String> methods(FakeStartd startd) {
    return startd.calls().stream().map(FakeStartd.Call::method).toList();
  }
}
