package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Partial matches and conflicts of container-runtime.md §2.8. */
class TasksTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void aPartialMatchesWhenEveryKeyItHasIsEqual() throws Exception {
    assertThat(Tasks.matches(json("{'txindex':true}"), json("{'txindex':true,'other':1}")))
        .isTrue();
    assertThat(Tasks.matches(json("{'a':{'b':1}}"), json("{'a':{'b':1,'c':2}}"))).isTrue();
    assertThat(Tasks.matches(json("{'txindex':true}"), json("{'txindex':false}"))).isFalse();
    assertThat(Tasks.matches(json("{'txindex':true}"), json("{}"))).isFalse();
    assertThat(Tasks.matches(json("{'a':1}"), json("null"))).isFalse();
  }

  @Test
  void aConflictNeedsAKeyBothHaveToDiffer() throws Exception {
    assertThat(Tasks.conflicts(json("{'a':1}"), json("{'a':2}"))).isTrue();
    assertThat(Tasks.conflicts(json("{'a':1}"), json("{'b':2}"))).isFalse();
    assertThat(Tasks.conflicts(json("{'a':{'b':1}}"), json("{'a':{'b':1,'c':3}}"))).isFalse();
  }

  @Test
  void arraysConflictWhenOneElementConflictsWithAllOfTheOther() throws Exception {
    assertThat(Tasks.conflicts(json("[1,2]"), json("[3]"))).isTrue();
    assertThat(Tasks.conflicts(json("[1,2]"), json("[2]"))).isTrue(); // 1 conflicts with all of [2]
    assertThat(Tasks.conflicts(json("[2]"), json("[2]"))).isFalse();
  }

  @Test
  void acceptListsAreReadInBothForms() throws Exception {
    JsonNode modern = json("{'input':{'kind':'partial','accept':[{'a':1},{'a':2}],'set':{'a':1}}}");
    JsonNode legacy = json("{'input':{'kind':'partial','value':{'a':1}}}");
    assertThat(Tasks.accept(modern)).hasSize(2);
    assertThat(Tasks.matchesAny(Tasks.accept(legacy), json("{'a':1}"))).isTrue();
    assertThat(Tasks.conflictsAll(Tasks.accept(modern), json("{'a':3}"))).isTrue();
    assertThat(Tasks.conflictsAll(Tasks.accept(modern), json("{'a':2}"))).isFalse();
    assertThat(Tasks.conflictsAll(Tasks.accept(json("{}")), json("{'a':2}"))).isFalse();
  }
}
