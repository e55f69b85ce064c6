package dev.hearth.patchdb.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonDiffTest {
  private final RandomJson random = new RandomJson(new SplittableRandom(0xD1FFL));

  @Test
  void applyingTheDiffTurnsOneDocumentIntoTheOther() {
    for (int i = 0; i < 3000; i++) {
      Json a = random.document();
      Json b = i % 2 == 0 ? random.document() : random.patch(a, 6).apply(a);
      JsonPatch diff = JsonDiff.diff(a, b);
      assertThat(diff.apply(a)).as("case %d: %s -> %s via %s", i, a, b, diff).isEqualTo(b);
      // Only the three kinds StartOS clients apply.
      assertThat(diff.ops())
          .allMatch(op ->
              op instanceof PatchOp.Add
                  || op instanceof PatchOp.Remove
                  || op instanceof PatchOp.Replace);
    }
  }

  @Test
  void equalDocumentsHaveAnEmptyDiff() {
    for (int i = 0; i < 500; i++) {
      Json a = random.document();
      Json copy = JsonCodec.standard().parse(a.toString());
      assertThat(JsonDiff.diff(a, copy).isEmpty()).as("%s", a).isTrue();
    }
  }

  @Test
  void oneInsertionOrRemovalInAnArrayIsOneOperation() {
    Json a = Json.parse("{\"list\":[1,2,3,4,5]}");
    assertThat(JsonDiff.diff(a, Json.parse("{\"list\":[1,2,9,3,4,5]}")).ops())
        .containsExactly(new PatchOp.Add(JsonPointer.parse("/list/2"), JsonNumber.of(9)));
    assertThat(JsonDiff.diff(a, Json.parse("{\"list\":[2,3,4,5]}")).ops())
        .containsExactly(new PatchOp.Remove(JsonPointer.parse("/list/0")));
  }

  @Test
  void aDeepChangeProducesOneOperationAtItsPath() {
    Json a = Json.parse("{\"p\":{\"x\":{\"status\":\"stopped\",\"big\":[1,2,3]}},\"q\":1}");
    Json b =
        JsonPatch.apply(
            a, new PatchOp.Replace(JsonPointer.parse("/p/x/status"), new JsonString("running")));
    assertThat(JsonDiff.diff(a, b).ops())
        .containsExactly(
            new PatchOp.Replace(JsonPointer.parse("/p/x/status"), new JsonString("running")));
  }

  @Test
  void typeChangesAreReplacements() {
    assertThat(JsonDiff.diff(Json.parse("{\"a\":[1]}"), Json.parse("{\"a\":{\"0\":1}}")).ops())
        .containsExactly(new PatchOp.Replace(JsonPointer.of("a"), Json.parse("{\"0\":1}")));
  }
}
