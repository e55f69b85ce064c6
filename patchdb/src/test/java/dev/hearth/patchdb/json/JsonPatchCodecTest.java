package dev.hearth.patchdb.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The journal's patch codec against Jackson's data binding of {@link JsonPatch}, which it replaces.
 */
class JsonPatchCodecTest {
  private final JsonCodec codec = JsonCodec.standard();
  private final JsonFactory factory = codec.mapper().getFactory();

  @Test
  void writesTheTextDataBindingWritesAndReadsBackTheSamePatch() throws Exception {
    var random = new SplittableRandom(16);
    var values = new RandomJson(random);
    for (int round = 0; round < 300; round++) {
      List<PatchOp> ops = new ArrayList<>();
      int count = random.nextInt(0, 6);
      for (int i = 0; i < count; i++) {
        var path = JsonPointer.of("a~b", "c/d", Integer.toString(i), "é");
        ops.add(
            switch (random.nextInt(3)) {
              case 0 -> new PatchOp.Add(path, values.value(3));
              case 1 -> new PatchOp.Remove(path);
              default -> new PatchOp.Replace(JsonPointer.ROOT, values.value(3));
            });
      }
      var patch = new JsonPatch(ops);
      byte[] ours = JsonPatchCodec.write(factory, patch);
      assertThat(new String(ours, StandardCharsets.UTF_8))
          .isEqualTo(codec.mapper().writeValueAsString(patch));
      assertThat(JsonPatchCodec.read(factory, ours, 0, ours.length)).isEqualTo(patch);
    }
  }

  @Test
  void readsWhatDataBindingReadsWhateverTheOrderOfMembers() throws Exception {
    String text =
        """
        [{"value":{"x":[1,2.50,null]},"path":"/a/0","op":"add"},
         {"path":"","op":"replace","value":null},
         {"path":"/~0~1","op":"remove"}]\
        """;
    assertThat(read("  " + text + "  ", 2))
        .isEqualTo(codec.mapper().readValue(text, JsonPatch.class));
  }

  @Test
  void readsOnlyItsSliceOfTheBuffer() throws Exception {
    byte[] bytes = "xx[{\"op\":\"remove\",\"path\":\"/a\"}]yy".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonPatchCodec.read(factory, bytes, 2, bytes.length - 4))
        .isEqualTo(new JsonPatch(List.of(new PatchOp.Remove(JsonPointer.of("a")))));
  }

  @Test
  void refusesWhatIsNotAPatchOfTheThreeKinds() {
    for (String bad :
        List.of(
            "",
            "{}",
            "[1]",
            "[{\"op\":\"add\",\"path\":\"/a\"}]", // no value
            "[{\"op\":\"replace\",\"path\":\"/a\"}]",
            "[{\"op\":\"remove\",\"path\":\"/a\",\"value\":1}]",
            "[{\"op\":\"move\",\"from\":\"/b\",\"path\":\"/a\"}]",
            "[{\"op\":\"copy\",\"path\":\"/a\",\"value\":1}]",
            "[{\"path\":\"/a\",\"value\":1}]", // no op
            "[{\"op\":\"add\",\"value\":1}]", // no path
            "[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]", // not a pointer
            "[{\"op\":\"add\",\"path\":\"/~2\",\"value\":1}]",
            "[{\"op\":1,\"path\":\"/a\",\"value\":1}]",
            "[{\"op\":\"add\",\"path\":[],\"value\":1}]",
            "[{\"op\":\"add\",\"path\":\"/a\",\"value\":1,\"extra\":0}]",
            "[{\"op\":\"add\",\"path\":\"/a\",\"value\":}]",
            "[{\"op\":\"remove\",\"path\":\"/a\"}",
            "[] []")) {
      assertThatThrownBy(() -> read(bad, 0)).as(bad).isInstanceOf(IOException.class);
    }
  }

  private JsonPatch read(String text, int offset) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return JsonPatchCodec.read(factory, bytes, offset, bytes.length - offset);
  }
}
