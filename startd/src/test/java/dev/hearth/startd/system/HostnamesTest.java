package dev.hearth.startd.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class HostnamesTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void aNameBecomesAHostnameByTheSeedRule() {
    assertThat(Hostnames.derive("My Cool Server")).isEqualTo("my-cool-server");
    assertThat(Hostnames.derive("  Émile's   Box!! ")).isEqualTo("emile-s-box");
    assertThat(Hostnames.derive("Box_2.0")).isEqualTo("box-2-0");
    assertThat(Hostnames.derive("a".repeat(80))).hasSize(63);
  }

  @Test
  void eitherNameIsDerivedFromTheOther() {
    assertThat(Hostnames.of("My Cool Server", null, random))
        .isEqualTo(new Hostnames.Names("My Cool Server", "my-cool-server"));
    assertThat(Hostnames.of(null, "box", random)).isEqualTo(new Hostnames.Names("box", "box"));
    assertThat(Hostnames.of("Shown", "given", random))
        .isEqualTo(new Hostnames.Names("Shown", "given"));
  }

  @Test
  void noNameAtAllGivesAnAdjectiveNoun() {
    Hostnames.Names n = Hostnames.of("", " ", random);
    assertThat(n.hostname()).matches("[a-z]+-[a-z]+").isEqualTo(n.name());
  }

  @Test
  void invalidHostnamesAndLetterlessNamesAreRefused() {
    assertThatThrownBy(() -> Hostnames.of(null, "-bad", random)).isInstanceOf(StartException.class);
    assertThatThrownBy(() -> Hostnames.of(null, "under_score", random))
        .isInstanceOf(StartException.class);
    assertThatThrownBy(() -> Hostnames.of("!!!", null, random))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("no letters or digits");
  }
}
