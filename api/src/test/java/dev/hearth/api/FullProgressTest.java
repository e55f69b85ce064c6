package dev.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A package's progress taken as one phase's value (set-init-progress), and what is refused. */
class FullProgressTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  @Test
  void everyShapeOfProgressBecomesAPhaseValue() throws Exception {
    assertThat(FullProgress.phaseValue(json("null")).isNull()).isTrue();
    assertThat(FullProgress.phaseValue(json("true")).asBoolean()).isTrue();
    assertThat(FullProgress.phaseValue(json("{'done':3,'total':10,'units':'steps'}")))
        .hasToString("{\"done\":3,\"total\":10,\"units\":\"steps\"}");
    assertThat(FullProgress.phaseValue(json("{'done':3}")))
        .hasToString("{\"done\":3,\"total\":null,\"units\":null}");
    assertThat(
            FullProgress.phaseValue(
                json("{'overall':{'done':1,'total':2,'units':null},'phases':[]}")))
        .hasToString("{\"done\":1,\"total\":2,\"units\":null}");
  }

  @Test
  void otherShapesAreRefused() throws Exception {
    for (String bad :
        List.of(
            "3",
            "'half'",
            "[]",
            "{}",
            "{'done':-1}",
            "{'done':1,'total':'x'}",
            "{'done':1,'units':'cats'}",
            "{'overall':true}",
            "{'overall':{'overall':true,'phases':[]},'phases':[]}")) {
      assertThatThrownBy(() -> FullProgress.phaseValue(json(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
