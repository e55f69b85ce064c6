package dev.hearth.startd.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.PatchDb;
import dev.hearth.patchdb.json.JsonPointer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a package may keep registered: callbacks hold a watch and a thread each (issue 10). */
class CallbacksTest {
  @TempDir Path dir;

  @Test
  void aPackageCannotKeepMoreCallbacksWaitingThanItsShare() {
    try (PatchDb db = PatchDb.open(dir);
        Callbacks callbacks = new Callbacks("flood", new ObjectMapper())) {
      JsonPointer where = JsonPointer.parse("/x");
      for (long id = 1; id <= Callbacks.MAX_WAITING; id++) {
        callbacks.onChange(id, db.watch(where), json -> null);
      }
      assertThat(callbacks.size()).isEqualTo(Callbacks.MAX_WAITING);
      assertThatThrownBy(() ->
              callbacks.onChange((long) Callbacks.MAX_WAITING + 1, db.watch(where), j -> null))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
          .hasMessageContaining("4096 callbacks waiting");
      // Registering an id again replaces it, and a cleared one makes room.
      callbacks.onChange(1L, db.watch(where), json -> null);
      callbacks.clearOnly(java.util.List.of(2L));
      callbacks.onChange((long) Callbacks.MAX_WAITING + 1, db.watch(where), json -> null);
      assertThat(callbacks.size()).isEqualTo(Callbacks.MAX_WAITING);
    }
  }
}
