package dev.hearth.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class RpcEndpointTest {
  private final ObjectMapper mapper =
      new ObjectMapper()
          .configure(
              com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              false);

  record EchoParams(String message) {
    EchoParams {
      Objects.requireNonNull(message, "message");
    }
  }

  record AddParams(int a, int b) {}

  record Info(String hint) {}

  static final MethodSpec<EchoParams, String> ECHO =
      MethodSpec.of("echo", EchoParams.class, String.class, "Echoes").withAccess(Access.PUBLIC);
  static final MethodSpec<AddParams, Integer> ADD =
      MethodSpec.of("math.add", AddParams.class, Integer.class, "Adds").syncingDb();
  static final MethodSpec<Empty, Void> FAIL =
      MethodSpec.of("fail", Empty.class, Void.class, "Fails").withAccess(Access.PUBLIC);
  static final MethodSpec<Empty, Void> CRASH =
      MethodSpec.of("crash", Empty.class, Void.class, "Crashes").withAccess(Access.PUBLIC);
  static final MethodSpec<Empty, String> LOCAL_ONLY =
      MethodSpec.of("auth.reset-password", Empty.class, String.class, "Local")
          .withAccess(Access.LOCAL);

  private final RpcTree tree =
      RpcTree.builder(mapper)
          .bind(ECHO, (ctx, p) -> p.message())
          .bind(ADD, (ctx, p) -> p.a() + p.b())
          .bind(
              FAIL,
              (ctx, p) -> {
                throw new StartException(
                    ErrorKind.NOT_FOUND, "no package hello", new Info("install it"), null);
              })
          .bind(
              CRASH,
              (ctx, p) -> {
                throw new IllegalStateException("secret internals");
              })
          .bind(LOCAL_ONLY, (ctx, p) -> "ok")
          .build();
  private final RpcEndpoint endpoint = new RpcEndpoint(() -> tree, mapper);

  private String call(String body, Caller caller) {
    return new String(
        endpoint.handle(body.getBytes(StandardCharsets.UTF_8), RpcContext.internal(caller)).body(),
        StandardCharsets.UTF_8);
  }

  private String call(String body) {
    return call(body, Caller.ANONYMOUS);
  }

  @Test
  void aResultEchoesTheIdWithKeysInUpstreamOrder() {
    assertThat(
            call(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":{\"message\":\"hi\"}}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"hi\",\"id\":7}");
    assertThat(call("{\"id\":\"x\",\"method\":\"echo\",\"params\":{\"message\":\"hi\"}}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"hi\",\"id\":\"x\"}");
    assertThat(call("{\"method\":\"echo\",\"params\":{\"message\":\"hi\"}}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"hi\",\"id\":null}");
  }

  @Test
  void malformedJsonIsAParseErrorWithANullId() throws Exception {
    JsonNode r = mapper.readTree(call("{\"id\":1,\"method\":"));
    assertThat(r.get("error").get("code").asInt()).isEqualTo(-32700);
    assertThat(r.get("error").get("data").isTextual()).isTrue();
    assertThat(r.get("id").isNull()).isTrue();
  }

  @Test
  void missingOrNullParamsIsAParseError() throws Exception {
    for (String body :
        List.of(
            "{\"id\":1,\"method\":\"echo\"}", "{\"id\":1,\"method\":\"echo\",\"params\":null}")) {
      JsonNode r = mapper.readTree(call(body));
      assertThat(r.get("error").get("code").asInt()).as(body).isEqualTo(-32700);
      assertThat(r.get("id").isNull()).isTrue();
    }
  }

  @Test
  void anUnknownMethodIsNotFoundWithoutData() throws Exception {
    JsonNode r = mapper.readTree(call("{\"id\":1,\"method\":\"nope.nothing\",\"params\":{}}"));
    assertThat(r.get("error").get("code").asInt()).isEqualTo(-32601);
    assertThat(r.get("error").has("data")).isFalse();
    assertThat(r.get("id").asInt()).isEqualTo(1);
  }

  @Test
  void paramsOfTheWrongShapeAreInvalidParams() throws Exception {
    for (String params :
        List.of("{\"message\":[1]}", "{}", "[\"hi\"]", "{\"message\":{\"a\":1}}")) {
      JsonNode r =
          mapper.readTree(call("{\"id\":1,\"method\":\"echo\",\"params\":" + params + "}"));
      assertThat(r.get("error").get("code").asInt()).as(params).isEqualTo(-32602);
    }
  }

  @Test
  void unknownParamKeysAreIgnored() {
    assertThat(
            call(
                "{\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\"hi\",\"__Auth_session\":\"forged\",\"extra\":1}}"))
        .contains("\"result\":\"hi\"");
  }

  @Test
  void ourErrorsCarryTheKindCodeTitleAndDetails() throws Exception {
    JsonNode e = mapper.readTree(call("{\"id\":1,\"method\":\"fail\",\"params\":{}}")).get("error");
    assertThat(e.get("code").asInt()).isEqualTo(6);
    assertThat(e.get("message").asText()).isEqualTo("Not Found");
    assertThat(e.get("data").get("details").asText()).isEqualTo("no package hello");
    assertThat(e.get("data").get("debug").asText()).contains("no package hello");
    assertThat(e.get("data").get("info").get("hint").asText()).isEqualTo("install it");
  }

  @Test
  void anUnexpectedFailureHidesItsInternals() throws Exception {
    JsonNode e =
        mapper.readTree(call("{\"id\":1,\"method\":\"crash\",\"params\":{}}")).get("error");
    assertThat(e.get("code").asInt()).isEqualTo(ErrorKind.UNKNOWN.code);
    assertThat(e.toString()).doesNotContain("secret internals");
  }

  @Test
  void accessIsCheckedBeforeTheHandlerRuns() throws Exception {
    String add = "{\"id\":1,\"method\":\"math.add\",\"params\":{\"a\":1,\"b\":2}}";
    JsonNode denied = mapper.readTree(call(add));
    assertThat(denied.get("error").get("code").asInt()).isEqualTo(34);
    assertThat(call(add, new Caller.Session("abc"))).contains("\"result\":3");

    String local = "{\"id\":1,\"method\":\"auth.reset-password\",\"params\":{}}";
    assertThat(
            mapper
                .readTree(call(local, new Caller.Session("abc")))
                .get("error")
                .get("code")
                .asInt())
        .isEqualTo(34);
    assertThat(call(local, Caller.LOCAL)).contains("\"result\":\"ok\"");
  }

  @Test
  void batchesAreAnsweredElementByElement() throws Exception {
    var response =
        endpoint.handle(
            ("[{\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\"a\"}},"
                    + "{\"id\":2,\"method\":\"nope\",\"params\":{}},"
                    + "{\"id\":3,\"method\":\"math.add\",\"params\":{\"a\":2,\"b\":2}}]")
                .getBytes(StandardCharsets.UTF_8),
            RpcContext.internal(Caller.LOCAL));
    JsonNode r = mapper.readTree(response.body());
    assertThat(r).hasSize(3);
    assertThat(r.get(0).get("result").asText()).isEqualTo("a");
    assertThat(r.get(1).get("error").get("code").asInt()).isEqualTo(-32601);
    assertThat(r.get(2).get("result").asInt()).isEqualTo(4);
    assertThat(response.syncDb()).isTrue();
    assertThat(mapper.readTree(call("[]")).get("error").get("code").asInt()).isEqualTo(-32600);
  }

  @Test
  void onlyMethodsDeclaredAsChangingTheDatabaseAskForASequenceHeader() {
    var echo =
        endpoint.handle(
            "{\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\"a\"}}".getBytes(),
            RpcContext.internal(Caller.LOCAL));
    var add =
        endpoint.handle(
            "{\"id\":1,\"method\":\"math.add\",\"params\":{\"a\":1,\"b\":1}}".getBytes(),
            RpcContext.internal(Caller.LOCAL));
    assertThat(echo.syncDb()).isFalse();
    assertThat(add.syncDb()).isTrue();
  }

  @Test
  void aClientSeesTheServersErrorAsOurException() {
    RpcError wire =
        RpcError.of(new StartException(ErrorKind.INCORRECT_PASSWORD, "wrong password"), null);
    StartException back = wire.toException();
    assertThat(back.kind()).isEqualTo(ErrorKind.INCORRECT_PASSWORD);
    assertThat(back.getMessage()).isEqualTo("wrong password");
    assertThat(RpcError.methodNotFound("x").toException().kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(RpcError.invalidParams("bad").toException().kind())
        .isEqualTo(ErrorKind.DESERIALIZATION);
  }

  @Test
  void methodNamesAreDottedKebabCase() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MethodSpec.of("Auth.Login", Empty.class, String.class, ""))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RpcTree.builder(mapper).bind(ECHO, (c, p) -> "").bind(ECHO, (c, p) -> ""))
        .hasMessageContaining("bound twice");
  }
}
