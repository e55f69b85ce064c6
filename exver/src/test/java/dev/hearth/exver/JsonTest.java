package dev.hearth.exver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;

class JsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  record Manifest(
      VersionString version, VersionRange canMigrateTo, ExtendedVersion exact, Version os) {}

  @Test
  void versionsTravelAsTheirText() throws Exception {
    String json =
        """
        {"version":"1.02.3:0","canMigrateTo":"^1.2 || #knots","exact":"#knots:29:1","os":"0.4.0-beta.10"}\
        """;
    Manifest m = mapper.readValue(json, Manifest.class);
    assertThat(m.version().toString()).isEqualTo("1.02.3:0"); // the original text survives
    assertThat(m.version().version()).isEqualTo(ExtendedVersion.parse("1.2.3:0"));
    assertThat(m.canMigrateTo()).isEqualTo(VersionRange.parse("^1.2 || #knots"));
    assertThat(m.exact().flavor()).contains("knots");
    assertThat(mapper.writeValueAsString(m))
        .isEqualTo(
            """
            {"version":"1.02.3:0","canMigrateTo":"(>=1.2:0 <2:0) || (#knots)",\
            "exact":"#knots:29:1","os":"0.4.0-beta.10"}\
            """);
  }

  @Test
  void badVersionTextIsRefusedWithTheParseError() {
    assertThatThrownBy(() -> mapper.readValue("\"1.x:0\"", ExtendedVersion.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasRootCauseInstanceOf(VersionParseException.class);
  }
}
