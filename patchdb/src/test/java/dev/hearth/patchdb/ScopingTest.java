package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonDiff;
import dev.hearth.patchdb.json.JsonNull;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.PatchOp;
import dev.hearth.patchdb.json.RandomJson;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScopingTest {
  private final SplittableRandom seed = new SplittableRandom(0x5C0BEL);
  private final RandomJson random = new RandomJson(seed);

  @Test
  void aScopedPatchTurnsTheOldSubtreeIntoTheNewOne() {
    for (int i = 0; i < 2000; i++) {
      Json before = random.document();
      // Both the patches the store makes (diffs) and arbitrary valid patches.
      JsonPatch patch =
          i % 2 == 0
              ? JsonDiff.diff(before, random.patch(before, 5).apply(before))
              : random.patch(before, 5);
      Json after = patch.apply(before);
      for (JsonPointer at : interestingPointers(before, after)) {
        JsonPatch scoped = Scoping.scope(patch, at, after);
        Json old = before.atOrNull(at);
        assertThat(scoped.apply(old))
            .as("case %d at %s: %s then %s scoped %s", i, at, before, patch, scoped)
            .isEqualTo(after.atOrNull(at));
      }
    }
  }

  @Test
  void unrelatedChangesAreNotSent() {
    Json before = Json.parse("{\"public\":{\"a\":1},\"private\":{\"secret\":\"x\"}}");
    JsonPatch patch =
        new JsonPatch(
            List.of(new PatchOp.Replace(JsonPointer.parse("/private/secret"), Json.of("y"))));
    assertThat(Scoping.scope(patch, JsonPointer.of("public"), patch.apply(before)).isEmpty())
        .isTrue();
  }

  @Test
  void changesBelowArePrefixStrippedAndTheSubtreeItselfIsReplaced() {
    Json before = Json.parse("{\"public\":{\"a\":1}}");
    var patch =
        new JsonPatch(
            List.of(
                new PatchOp.Add(JsonPointer.parse("/public/b"), Json.of(2)),
                new PatchOp.Remove(JsonPointer.parse("/public"))));
    Json after = patch.apply(before);
    assertThat(Scoping.scope(patch, JsonPointer.of("public"), after).ops())
        .containsExactly(
            new PatchOp.Add(JsonPointer.of("b"), Json.of(2)),
            new PatchOp.Replace(JsonPointer.ROOT, JsonNull.INSTANCE));
  }

  @Test
  void anArrayInsertionAboveTheSubtreeSendsItsNewValue() {
    Json before = Json.parse("{\"list\":[\"a\",\"b\"]}");
    var patch = new JsonPatch(List.of(new PatchOp.Add(JsonPointer.parse("/list/0"), Json.of("z"))));
    Json after = patch.apply(before);
    assertThat(Scoping.scope(patch, JsonPointer.parse("/list/1"), after).ops())
        .containsExactly(new PatchOp.Replace(JsonPointer.ROOT, Json.of("a")));
  }

  private List<JsonPointer> interestingPointers(Json before, Json after) {
    List<JsonPointer> out = new ArrayList<>(RandomJson.pointers(before));
    out.addAll(RandomJson.pointers(after));
    out.add(JsonPointer.of("nowhere", "deep"));
    out.add(JsonPointer.of("0", "1"));
    return out;
  }
}
