package dev.hearth.patchdb.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
  private final JsonCodec codec = JsonCodec.standard();

  private Json json(String text) {
    return codec.parse(text);
  }

  private JsonPatch patch(String text) throws Exception {
    return codec.mapper().readValue(text, JsonPatch.class);
  }

  @Test
  void addSetsMembersAndInsertsIntoArrays() throws Exception {
    Json doc = json("{\"a\":[1,2],\"o\":{}}");
    Json out =
        patch(
                """
                [{"op":"add","path":"/a/1","value":9},
                 {"op":"add","path":"/a/-","value":3},
                 {"op":"add","path":"/o/k","value":null},
                 {"op":"add","path":"/a/0","value":0}]\
                """)
            .apply(doc);
    assertThat(out).isEqualTo(json("{\"a\":[0,1,9,2,3],\"o\":{\"k\":null}}"));
    assertThat(doc).isEqualTo(json("{\"a\":[1,2],\"o\":{}}")); // the input is untouched
  }

  @Test
  void removeAndReplaceNeedAnExistingTarget() throws Exception {
    Json doc = json("{\"a\":[1,2,3],\"b\":true}");
    Json out =
        patch(
                """
                [{"op":"remove","path":"/a/0"},
                 {"op":"replace","path":"/b","value":"x"},
                 {"op":"replace","path":"/a/1","value":7}]\
                """)
            .apply(doc);
    assertThat(out).isEqualTo(json("{\"a\":[2,7],\"b\":\"x\"}"));
  }

  @Test
  void replacingTheRootReplacesTheDocument() throws Exception {
    assertThat(patch("[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]").apply(json("{}")))
        .isEqualTo(json("[1]"));
  }

  @Test
  void aFailingOperationIsNamedAndNothingApplies() throws Exception {
    JsonPatch p =
        patch(
            """
            [{"op":"add","path":"/x","value":1},
             {"op":"remove","path":"/missing/y"}]\
            """);
    assertThatThrownBy(() -> p.apply(json("{}")))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATABASE))
        .hasMessage("patch operation 1 (remove \"/missing/y\"): /missing does not exist");
  }

  @Test
  void arrayIndexesMustBeCanonical() {
    Json doc = json("[1,2]");
    assertThatThrownBy(() -> JsonPatch.apply(doc, new PatchOp.Remove(JsonPointer.of("01"))))
        .hasMessageContaining("no index 01");
    assertThatThrownBy(() -> JsonPatch.apply(doc, new PatchOp.Add(JsonPointer.of("3"), doc)))
        .hasMessageContaining("no index 3 in an array of 2");
    assertThatThrownBy(() -> JsonPatch.apply(doc, new PatchOp.Remove(JsonPointer.of("-"))))
        .isInstanceOf(StartException.class);
  }

  @Test
  void theRootCannotBeRemoved() {
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), new PatchOp.Remove(JsonPointer.ROOT)))
        .hasMessageContaining("root cannot be removed");
  }

  @Test
  void onlyTheThreeOperationKindsAreAccepted() {
    assertThatThrownBy(() -> patch("[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"}]"))
        .hasMessageContaining("move");
  }

  @Test
  void patchTravelsAsTheArrayOfItsOperations() throws Exception {
    JsonPatch p =
        new JsonPatch(
            List.of(
                new PatchOp.Add(JsonPointer.of("a"), JsonNumber.of(1)),
                new PatchOp.Remove(JsonPointer.of("b", "c")),
                new PatchOp.Replace(JsonPointer.ROOT, JsonNull.INSTANCE)));
    String text = codec.mapper().writeValueAsString(p);
    assertThat(text)
        .isEqualTo(
            """
            [{"op":"add","path":"/a","value":1},{"op":"remove","path":"/b/c"},\
            {"op":"replace","path":"","value":null}]\
            """);
    assertThat(patch(text)).isEqualTo(p);
  }
}
