package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.hearth.patchdb.json.JsonPointer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Callbacks on database values (container-runtime.md §2.6): fire once when the value changes. */
final class Watches {
  private static final JavaType JSON = TypeFactory.defaultInstance().constructType(JsonNode.class);

  private Watches() {}

  /** Fires {@code callback}, if the package gave one, with the new value at {@code pointer}. */
  static void watch(
      EffectHost host, CallingService self, @Nullable Long callback, JsonPointer pointer) {
    watch(host, self, callback, pointer, v -> v);
  }

  /** Like {@link #watch}, the value passed through {@code view} first. */
  static void watch(
      EffectHost host,
      CallingService self,
      @Nullable Long callback,
      JsonPointer pointer,
      UnaryOperator<JsonNode> view) {
    if (callback != null) {
      self.callbacks()
          .onChange(
              callback, host.watch(pointer), json -> view.apply(host.codec().fromJson(json, JSON)));
    }
  }
}
