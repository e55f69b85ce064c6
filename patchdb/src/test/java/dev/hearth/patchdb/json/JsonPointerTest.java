package dev.hearth.patchdb.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import org.junit.jupiter.api.Test;

class JsonPointerTest {

  @Test
  void escapesFollowRfc6901() {
    JsonPointer p = JsonPointer.parse("/a~1b/m~0n/");
    assertThat(p.tokens()).containsExactly("a/b", "m~n", "");
    assertThat(p).hasToString("/a~1b/m~0n/");
    assertThat(JsonPointer.of("x/y", "~").toString()).isEqualTo("/x~1y/~0");
  }

  @Test
  void emptyTextIsTheRoot() {
    assertThat(JsonPointer.parse("")).isEqualTo(JsonPointer.ROOT);
    assertThat(JsonPointer.ROOT.isRoot()).isTrue();
  }

  @Test
  void malformedPointersAreRefusedWithTheReason() {
    assertThatThrownBy(() -> JsonPointer.parse("a/b"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DESERIALIZATION))
        .hasMessageContaining("start with '/'");
    assertThatThrownBy(() -> JsonPointer.parse("/a~2"))
        .hasMessageContaining("'~' at position 2 must be followed by 0 or 1");
    assertThatThrownBy(() -> JsonPointer.parse("/a~")).isInstanceOf(StartException.class);
  }

  @Test
  void prefixesAndRelativePointers() {
    JsonPointer p = JsonPointer.parse("/public/packageData/x");
    JsonPointer pub = JsonPointer.of("public");
    assertThat(p.startsWith(pub)).isTrue();
    assertThat(p.startsWith(JsonPointer.of("pub"))).isFalse();
    assertThat(p.relativeTo(pub)).isEqualTo(JsonPointer.parse("/packageData/x"));
    assertThat(pub.resolve(p.relativeTo(pub))).isEqualTo(p);
    assertThat(p.parent().last()).isEqualTo("packageData");
    assertThatThrownBy(() -> pub.relativeTo(p)).isInstanceOf(IllegalArgumentException.class);
  }
}
