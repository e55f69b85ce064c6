package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerPathTest {
  @Test
  void aPathKnowsItsNamesAndWhatLiesBelowIt() {
    ContainerPath p = ContainerPath.of("/media/startos/images/main");
    assertThat(p.names()).containsExactly("media", "startos", "images", "main");
    assertThat(p.relative()).isEqualTo("media/startos/images/main");
    assertThat(p.resolve("bin")).isEqualTo(ContainerPath.of("/media/startos/images/main/bin"));
    assertThat(p.contains(p)).isTrue();
    assertThat(p.contains(ContainerPath.of("/media/startos/images/main/x"))).isTrue();
    assertThat(p.contains(ContainerPath.of("/media/startos/images/main.env"))).isFalse();
    assertThat(p.contains(ContainerPath.of("/media/startos"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "relative/path",
        "/a/../b",
        "/..",
        "/a/./b",
        "/a//b",
        "/a/b/",
        "/a\nb",
        "/a\u0000b",
        "/tab\there"
      })
  void pathsThatCouldEscapeOrConfuseAreRefused(String bad) {
    assertThatThrownBy(() -> ContainerPath.of(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("container path");
  }

  @Test
  void overlongPathsAndNamesAreRefused() {
    assertThatThrownBy(() -> ContainerPath.of("/" + "a".repeat(256))).hasMessageContaining("255");
    assertThatThrownBy(() -> ContainerPath.of("/a".repeat(2049))).hasMessageContaining("4096");
  }

  @Test
  void aGuidThatIsNotOneNameCannotBeResolved() {
    assertThatThrownBy(() -> Layout.SUBCONTAINERS.resolve("../../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Layout.SUBCONTAINERS.resolve("a//b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
