package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Action input checked against its form (lifecycle.md §3.7). The specs are what start-sdk 2.0.9's
 * builders emit: {@code (await InputSpec.of({...}).build({})).spec}, printed once with node from
 * packages/hello-world and pasted here, so the tests need no node. Inputs are written with single
 * quotes for double.
 */
class InputSpecsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** hello-world's set-name form. */
  private static final JsonNode HELLO =
      spec(
          """
          {
            "name": {"type":"text","description":"Who the page greets","warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":1,"maxLength":64,"patterns":[],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Name","required":true,"default":"World"}
          }
          """);

  /**
   * One field of each scalar type: text with two patterns (the second unanchored), textarea,
   * integer and decimal numbers, color, the three datetime modes, toggle, triState, a select with a
   * disabled option, multiselect, file and hidden.
   */
  private static final JsonNode SCALARS =
      spec(
          """
          {
            "nick": {"type":"text","description":null,"warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":2,"maxLength":8,"patterns":[{"regex":"^[a-z]+$","description":"lowercase letters"},{"regex":"[^q]+","description":"no q"}],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Nickname","required":false,"default":null},
            "bio": {"description":null,"warning":null,"footnote":null,"minLength":null,"maxLength":20,"patterns":[{"regex":"^\\\\S.*$","description":"no leading space"}],"minRows":3,"maxRows":6,"placeholder":null,"type":"textarea","disabled":false,"immutable":false,"name":"Bio","required":true,"default":null},
            "port": {"type":"number","description":null,"warning":null,"footnote":null,"min":1,"max":65535,"step":null,"units":null,"placeholder":null,"disabled":false,"immutable":false,"name":"Port","required":true,"default":8080,"integer":true},
            "ratio": {"type":"number","description":null,"warning":null,"footnote":null,"min":0.5,"max":2.5,"step":0.1,"units":null,"placeholder":null,"disabled":false,"immutable":false,"name":"Ratio","required":false,"default":null,"integer":false},
            "color": {"type":"color","description":null,"warning":null,"footnote":null,"disabled":false,"immutable":false,"name":"Color","required":false,"default":"#ff0000"},
            "day": {"type":"datetime","description":null,"warning":null,"footnote":null,"inputmode":"date","min":"2024-01-01","max":"2024-12-31","step":null,"disabled":false,"immutable":false,"name":"Day","required":false,"default":null},
            "at": {"type":"datetime","description":null,"warning":null,"footnote":null,"inputmode":"time","min":"08:00","max":"18:00","step":null,"disabled":false,"immutable":false,"name":"At","required":false,"default":null},
            "when": {"type":"datetime","description":null,"warning":null,"footnote":null,"inputmode":"datetime-local","min":"2024-01-01T00:00","max":null,"step":null,"disabled":false,"immutable":false,"name":"When","required":true,"default":null},
            "on": {"description":null,"warning":null,"footnote":null,"type":"toggle","disabled":false,"immutable":false,"name":"On","default":true},
            "tri": {"type":"triState","description":null,"warning":null,"footnote":null,"disabled":false,"immutable":false,"name":"Tri","default":null},
            "mode": {"description":null,"warning":null,"footnote":null,"type":"select","disabled":["legacy"],"immutable":false,"name":"Mode","default":"fast","values":{"fast":"Fast","slow":"Slow","legacy":"Legacy"}},
            "feats": {"type":"multiselect","minLength":1,"maxLength":2,"warning":null,"description":null,"footnote":null,"disabled":false,"immutable":false,"name":"Features","default":[],"values":{"a":"A","b":"B","c":"C","d":"D"}},
            "cert": {"type":"file","description":null,"warning":null,"name":"Certificate","required":false,"extensions":[".pem"]},
            "secret": {"type":"hidden"}
          }
          """);

  /** Nested objects, a list of text and three lists of objects, one per kind of uniqueBy. */
  private static final JsonNode NESTED =
      spec(
          """
          {
            "server": {
              "type": "object",
              "description": null,
              "warning": null,
              "name": "Server",
              "spec": {
                "host": {"type":"text","description":null,"warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":null,"maxLength":null,"patterns":[],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Host","required":true,"default":null},
                "tls": {
                  "type": "object",
                  "description": null,
                  "warning": null,
                  "name": "TLS",
                  "spec": {
                    "enabled": {"description":null,"warning":null,"footnote":null,"type":"toggle","disabled":false,"immutable":false,"name":"Enabled","default":false}
                  }
                }
              }
            },
            "tags": {
              "description": null,
              "warning": null,
              "default": [],
              "type": "list",
              "minLength": 1,
              "maxLength": 3,
              "disabled": false,
              "name": "Tags",
              "spec": {"type":"text","placeholder":null,"minLength":null,"maxLength":5,"masked":false,"inputmode":"text","generate":null,"patterns":[{"regex":"^[a-z]+$","description":"lowercase letters"}]}
            },
            "peers": {
              "description": null,
              "warning": null,
              "minLength": null,
              "maxLength": 4,
              "type": "list",
              "disabled": false,
              "spec": {
                "type": "object",
                "displayAs": "{{host}}",
                "uniqueBy": {"all":["host","port"]},
                "spec": {
                  "host": {"type":"text","description":null,"warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":null,"maxLength":null,"patterns":[],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Host","required":true,"default":null},
                  "port": {"type":"number","description":null,"warning":null,"footnote":null,"min":1,"max":65535,"step":null,"units":null,"placeholder":null,"disabled":false,"immutable":false,"name":"Port","required":true,"default":null,"integer":true}
                }
              },
              "default": [],
              "name": "Peers"
            },
            "users": {
              "description": null,
              "warning": null,
              "minLength": null,
              "maxLength": null,
              "type": "list",
              "disabled": false,
              "spec": {
                "type": "object",
                "displayAs": null,
                "uniqueBy": {"any":["name","email"]},
                "spec": {
                  "name": {"type":"text","description":null,"warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":null,"maxLength":null,"patterns":[],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Name","required":true,"default":null},
                  "email": {"type":"text","description":null,"warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":null,"maxLength":null,"patterns":[],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Email","required":false,"default":null}
                }
              },
              "default": [],
              "name": "Users"
            },
            "keys": {
              "description": null,
              "warning": null,
              "minLength": null,
              "maxLength": null,
              "type": "list",
              "disabled": false,
              "spec": {
                "type": "object",
                "displayAs": null,
                "uniqueBy": "id",
                "spec": {
                  "id": {"type":"text","description":null,"warning":null,"footnote":null,"masked":false,"placeholder":null,"minLength":null,"maxLength":null,"patterns":[],"inputmode":"text","disabled":false,"immutable":false,"generate":null,"name":"Id","required":true,"default":null}
                }
              },
              "default": [],
              "name": "Keys"
            }
          }
          """);

  /** Bitcoin's pruning union, with its manual variant disabled. */
  private static final JsonNode UNION =
      spec(
          """
          {
            "pruning": {
              "type": "union",
              "description": null,
              "warning": null,
              "disabled": ["manual"],
              "name": "Pruning",
              "default": "disabled",
              "variants": {
                "disabled": {"name":"Disabled","spec":{}},
                "automatic": {
                  "name": "Automatic",
                  "spec": {
                    "size": {"type":"number","description":null,"warning":null,"footnote":null,"min":550,"max":null,"step":null,"units":"MiB","placeholder":null,"disabled":false,"immutable":false,"name":"Size","required":true,"default":550,"integer":true}
                  }
                },
                "manual": {
                  "name": "Manual",
                  "spec": {
                    "size": {"type":"number","description":null,"warning":null,"footnote":null,"min":550,"max":null,"step":null,"units":null,"placeholder":null,"disabled":false,"immutable":false,"name":"Size","required":true,"default":65536,"integer":true}
                  }
                }
              },
              "immutable": false
            }
          }
          """);

  private static final String VALID_SCALARS =
      "{'bio':'hello','port':8080,'when':'2024-05-01T10:00','on':true,'mode':'fast','feats':['a']}";
  private static final String VALID_NESTED =
      "{'server':{'host':'example.com','tls':{'enabled':true}},'tags':['ab'],'peers':[],"
          + "'users':[],'keys':[]}";

  private static JsonNode spec(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode json(String text) {
    return spec(text.replace('\'', '"'));
  }

  /** {@code base} with {@code key} set to {@code value}, or removed when it is null. */
  private static JsonNode with(String base, String key, @Nullable String value) {
    ObjectNode copy = (ObjectNode) json(base);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.set(key, json(value));
    }
    return copy;
  }

  private static List<String> scalars(String key, @Nullable String value) {
    return InputSpecs.problems(SCALARS, with(VALID_SCALARS, key, value));
  }

  private static List<String> nested(String key, @Nullable String value) {
    return InputSpecs.problems(NESTED, with(VALID_NESTED, key, value));
  }

  private static List<String> union(String value) {
    return InputSpecs.problems(UNION, json("{'pruning':" + value + "}"));
  }

  // ---- hello-world ----

  @Test
  void helloWorldAcceptsAName() {
    assertThat(InputSpecs.problems(HELLO, json("{'name':'World'}"))).isEmpty();
  }

  @Test
  void helloWorldRefusesAMissingEmptyOrLongName() {
    assertThat(InputSpecs.problems(HELLO, json("{}"))).containsExactly("name: required");
    assertThat(InputSpecs.problems(HELLO, json("{'name':null}"))).containsExactly("name: required");
    assertThat(InputSpecs.problems(HELLO, json("{'name':''}"))).containsExactly("name: required");
    assertThat(InputSpecs.problems(HELLO, json("{'name':'" + "x".repeat(65) + "'}")))
        .containsExactly("name: must be at most 64 characters");
    assertThat(InputSpecs.problems(HELLO, json("{'name':42}")))
        .containsExactly("name: must be text");
  }

  @Test
  void keysTheFormDoesNotDeclareAreRefused() {
    assertThat(InputSpecs.problems(HELLO, json("{'name':'World','x':1}")))
        .containsExactly("x: not a field of this form");
  }

  @Test
  void theInputMustBeAnObject() {
    assertThat(InputSpecs.problems(HELLO, json("['World']")))
        .containsExactly("input: must be an object");
  }

  @Test
  void checkThrowsInvalidRequestNamingEveryProblem() {
    assertThatCode(() -> InputSpecs.check(HELLO, json("{'name':'World'}")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> InputSpecs.check(HELLO, json("{'x':1}")))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
        .hasMessage("the input does not fit the form: name: required; x: not a field of this form");
  }

  // ---- scalar types ----

  @Test
  void aFormWithEveryScalarTypeFilledInFits() {
    JsonNode full =
        json(
            "{'nick':'alex','bio':'hello','port':443,'ratio':1.5,'color':'#A0b1c2',"
                + "'day':'2024-02-29','at':'12:30','when':'2024-05-01T10:00:30','on':false,"
                + "'tri':true,'mode':'slow','feats':['a','d'],"
                + "'cert':{'path':'/tmp/x.pem','commitment':{'hash':'abc','size':10}},"
                + "'secret':{'any':['json']}}");
    assertThat(InputSpecs.problems(SCALARS, full)).isEmpty();
    assertThat(InputSpecs.problems(SCALARS, json(VALID_SCALARS))).isEmpty();
  }

  @Test
  void optionalFieldsMayBeNullMissingOrEmpty() {
    assertThat(scalars("nick", "null")).isEmpty();
    assertThat(scalars("nick", "''")).isEmpty();
    assertThat(scalars("ratio", "null")).isEmpty();
    assertThat(scalars("day", "''")).isEmpty();
    assertThat(scalars("tri", "null")).isEmpty();
    assertThat(scalars("cert", "null")).isEmpty();
    assertThat(scalars("color", null)).isEmpty();
  }

  @Test
  void textChecksLengthAndEveryPattern() {
    assertThat(scalars("nick", "'a'")).containsExactly("nick: must be at least 2 characters");
    assertThat(scalars("nick", "'abcdefghi'"))
        .containsExactly("nick: must be at most 8 characters");
    assertThat(scalars("nick", "'Ab1'"))
        .containsExactly("nick: does not match \"^[a-z]+$\" (lowercase letters)");
  }

  @Test
  void anUnanchoredPatternNeedsOnlyBeFoundAsTheServiceTestsIt() {
    assertThat(scalars("nick", "'abqd'")).isEmpty(); // "ab" is found
    assertThat(scalars("nick", "'qqq'")).containsExactly("nick: does not match \"[^q]+\" (no q)");
  }

  @Test
  void textareaChecksItsPatternAndRequired() {
    assertThat(scalars("bio", "' hello'"))
        .containsExactly("bio: does not match \"^\\S.*$\" (no leading space)");
    assertThat(scalars("bio", null)).containsExactly("bio: required");
  }

  @Test
  void numbersAreCheckedForTypeBoundsAndWholeness() {
    assertThat(scalars("port", "80.0")).isEmpty();
    assertThat(scalars("port", "0")).containsExactly("port: must be at least 1");
    assertThat(scalars("port", "65536")).containsExactly("port: must be at most 65535");
    assertThat(scalars("port", "80.5")).containsExactly("port: must be a whole number");
    assertThat(scalars("port", "'80'")).containsExactly("port: must be a number");
    assertThat(scalars("port", "null")).containsExactly("port: required");
    assertThat(scalars("ratio", "0.49")).containsExactly("ratio: must be at least 0.5");
    assertThat(scalars("ratio", "2.55")).containsExactly("ratio: must be at most 2.5");
  }

  @Test
  void aColorIsSixHexDigits() {
    assertThat(scalars("color", "'#ff8800'")).isEmpty();
    assertThat(scalars("color", "'red'")).containsExactly("color: must be a color written #rrggbb");
    assertThat(scalars("color", "'#fff'"))
        .containsExactly("color: must be a color written #rrggbb");
  }

  @Test
  void datesAreRealDatesWithinTheirBounds() {
    assertThat(scalars("day", "'2024-02-30'"))
        .containsExactly("day: must be a date written yyyy-mm-dd");
    assertThat(scalars("day", "'2024-1-5'"))
        .containsExactly("day: must be a date written yyyy-mm-dd");
    assertThat(scalars("day", "'2023-12-31'"))
        .containsExactly("day: must not be before 2024-01-01");
    assertThat(scalars("day", "'2025-01-01'")).containsExactly("day: must not be after 2024-12-31");
  }

  @Test
  void timesAreHoursAndMinutesWithinTheirBounds() {
    assertThat(scalars("at", "'18:00'")).isEmpty();
    assertThat(scalars("at", "'25:00'")).containsExactly("at: must be a time written hh:mm");
    assertThat(scalars("at", "'07:59'")).containsExactly("at: must not be before 08:00");
    assertThat(scalars("at", "'18:01'")).containsExactly("at: must not be after 18:00");
  }

  @Test
  void localDateTimesUseTheHtmlForm() {
    assertThat(scalars("when", "'2024-05-01 10:00'"))
        .containsExactly("when: must be a date and time written yyyy-mm-ddThh:mm");
    assertThat(scalars("when", "'2023-05-01T10:00'"))
        .containsExactly("when: must not be before 2024-01-01T00:00");
    assertThat(scalars("when", "''")).containsExactly("when: required");
  }

  @Test
  void aToggleIsTrueOrFalseAndATriStateMayAlsoBeNull() {
    assertThat(scalars("on", "'true'")).containsExactly("on: must be true or false");
    assertThat(scalars("on", "null")).containsExactly("on: required");
    assertThat(scalars("tri", "false")).isEmpty();
    assertThat(scalars("tri", "0")).containsExactly("tri: must be true or false");
  }

  @Test
  void aSelectTakesOneEnabledKey() {
    assertThat(scalars("mode", "'turbo'"))
        .containsExactly("mode: \"turbo\" is not one of fast, slow, legacy");
    assertThat(scalars("mode", "'legacy'")).containsExactly("mode: \"legacy\" is disabled");
    assertThat(scalars("mode", "'Fast'")).hasSize(1);
    assertThat(scalars("mode", null)).containsExactly("mode: required");
  }

  @Test
  void aMultiselectTakesSomeKeysOnceEach() {
    assertThat(scalars("feats", "[]")).containsExactly("feats: must have at least 1 choice");
    assertThat(scalars("feats", "['a','b','c']"))
        .containsExactly("feats: must have at most 2 choices");
    assertThat(scalars("feats", "['a','z']"))
        .containsExactly("feats: \"z\" is not one of a, b, c, d");
    assertThat(scalars("feats", "['a','a']")).containsExactly("feats: \"a\" is chosen twice");
    assertThat(scalars("feats", "'a'")).containsExactly("feats: must be a list of choices");
  }

  @Test
  void aFileIsAPathWithItsCommitment() {
    assertThat(scalars("cert", "{'path':'/tmp/x.pem'}"))
        .containsExactly("cert: must be a file {path, commitment: {hash, size}}");
    assertThat(scalars("cert", "{'path':'/x','commitment':{'hash':'h','size':'big'}}"))
        .containsExactly("cert: must be a file {path, commitment: {hash, size}}");
  }

  @Test
  void aHiddenFieldTakesAnything() {
    assertThat(scalars("secret", "[1,{'a':null}]")).isEmpty();
    assertThat(scalars("secret", "null")).isEmpty();
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    JsonNode input = json("{'bio':' x','port':0,'on':1,'mode':'legacy','feats':[],'extra':2}");
    assertThat(InputSpecs.problems(SCALARS, input))
        .containsExactly(
            "bio: does not match \"^\\S.*$\" (no leading space)",
            "port: must be at least 1",
            "when: required",
            "on: must be true or false",
            "mode: \"legacy\" is disabled",
            "feats: must have at least 1 choice",
            "extra: not a field of this form");
  }

  // ---- objects and lists ----

  @Test
  void nestedObjectsAreCheckedWithTheirPath() {
    assertThat(InputSpecs.problems(NESTED, json(VALID_NESTED))).isEmpty();
    assertThat(nested("server", "{'tls':{'enabled':'yes','x':1}}"))
        .containsExactly(
            "server.host: required",
            "server.tls.enabled: must be true or false",
            "server.tls.x: not a field of this form");
    assertThat(nested("server", "'example.com'")).containsExactly("server: must be an object");
    assertThat(nested("server", null)).containsExactly("server: required");
  }

  @Test
  void aTextListChecksItsCountAndEachItem() {
    assertThat(nested("tags", "['ab','cd','ef']")).isEmpty();
    assertThat(nested("tags", "[]")).containsExactly("tags: must have at least 1 item");
    assertThat(nested("tags", "['a','b','c','d']"))
        .containsExactly("tags: must have at most 3 items");
    assertThat(nested("tags", "['abcdef','Ab',null]"))
        .containsExactly(
            "tags[0]: must be at most 5 characters",
            "tags[1]: does not match \"^[a-z]+$\" (lowercase letters)",
            "tags[2]: must be text");
    assertThat(nested("tags", "'ab'")).containsExactly("tags: must be a list");
  }

  @Test
  void aListOfObjectsChecksEachItemWithItsSpec() {
    assertThat(nested("peers", "[{'host':'a','port':0},{'port':1,'x':true},3]"))
        .containsExactly(
            "peers[0].port: must be at least 1",
            "peers[1].host: required",
            "peers[1].x: not a field of this form",
            "peers[2]: must be an object");
  }

  @Test
  void uniqueByAllRefusesItemsEqualInEveryField() {
    assertThat(nested("peers", "[{'host':'a','port':1},{'host':'a','port':2}]")).isEmpty();
    assertThat(
            nested("peers", "[{'host':'a','port':1},{'host':'b','port':1},{'host':'a','port':1}]"))
        .containsExactly("peers[2]: has the same host and port as peers[0]");
  }

  @Test
  void uniqueByAnyRefusesItemsEqualInOneField() {
    String alice = "{'name':'alice','email':'a@x'}";
    assertThat(nested("users", "[" + alice + ",{'name':'bob','email':'a@x'}]"))
        .containsExactly("users[1]: has the same email as users[0]");
    assertThat(nested("users", "[" + alice + ",{'name':'alice','email':null}]"))
        .containsExactly("users[1]: has the same name as users[0]");
  }

  @Test
  void emptyUniqueFieldsAreNotDuplicates() {
    assertThat(nested("users", "[{'name':'a','email':null},{'name':'b','email':null}]")).isEmpty();
  }

  @Test
  void uniqueByAKeyRefusesItemsEqualInThatField() {
    assertThat(nested("keys", "[{'id':'k1'},{'id':'k2'},{'id':'k1'}]"))
        .containsExactly("keys[2]: has the same id as keys[0]");
  }

  // ---- unions ----

  @Test
  void aUnionTakesASelectionAndThatVariantsValue() {
    assertThat(union("{'selection':'disabled','value':{}}")).isEmpty();
    assertThat(union("{'selection':'automatic','value':{'size':600}}")).isEmpty();
    assertThat(union("{'selection':'automatic','value':{'size':600},'other':{'manual':{}}}"))
        .isEmpty();
  }

  @Test
  void aUnionValueIsCheckedAgainstTheSelectedVariant() {
    assertThat(union("{'selection':'automatic','value':{'size':100}}"))
        .containsExactly("pruning.value.size: must be at least 550");
    assertThat(union("{'selection':'automatic','value':{}}"))
        .containsExactly("pruning.value.size: required");
    assertThat(union("{'selection':'disabled','value':{'size':600}}"))
        .containsExactly("pruning.value.size: not a field of this form");
    assertThat(union("{'selection':'disabled'}"))
        .containsExactly("pruning.value: must be an object");
  }

  @Test
  void aUnionSelectionMustBeAnEnabledVariant() {
    assertThat(union("{'selection':'bogus','value':{}}"))
        .containsExactly("pruning.selection: \"bogus\" is not one of disabled, automatic, manual");
    assertThat(union("{'selection':'manual','value':{'size':600}}"))
        .containsExactly("pruning.selection: \"manual\" is disabled");
    assertThat(union("{'value':{}}"))
        .containsExactly("pruning.selection: must be one of disabled, automatic, manual");
    assertThat(union("{'selection':'disabled','value':{},'x':1}"))
        .containsExactly("pruning.x: not a field of this form");
    assertThat(union("'disabled'"))
        .containsExactly("pruning: must be an object {selection, value}");
  }

  // ---- patterns whose answer is unknown here (JsRegexTest has the patterns themselves) ----

  @Test
  void aPatternThatCannotBeTranslatedFaithfullyIsLeftToTheService() {
    JsonNode spec =
        spec(
            """
            {"v":{"type":"text","minLength":null,"maxLength":null,"required":true,
              "patterns":[{"regex":"(?i:abc)","description":"abc in any case"}]}}
            """);
    assertThat(InputSpecs.problems(spec, json("{'v':'ABC'}"))).isEmpty();
  }

  @Test
  void aPatternCountingUtf16UnitsIsNotEnforcedOnAstralCharacters() {
    JsonNode spec =
        spec(
            """
            {"v":{"type":"text","required":true,
              "patterns":[{"regex":"^.{2}$","description":"two characters"}]}}
            """);
    assertThat(InputSpecs.problems(spec, json("{'v':'\\uD83D\\uDE00'}"))).isEmpty(); // JS: 2 units
    assertThat(InputSpecs.problems(spec, json("{'v':'abc'}"))).hasSize(1);
  }

  @Test
  void aPatternThatBacktracksForeverIsAbandoned() {
    JsonNode spec =
        spec(
            """
            {"v":{"type":"text","required":true,
              "patterns":[{"regex":"^(.*a){20}$","description":"catastrophic"}]}}
            """);
    assertThat(InputSpecs.problems(spec, json("{'v':'" + "a".repeat(30) + "!'}"))).isEmpty();
  }
}
