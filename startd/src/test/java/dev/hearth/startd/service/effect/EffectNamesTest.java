package dev.hearth.startd.service.effect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The effects the host declares for the SDK are exactly the effects our runtime sends: its list
 * ({@code EFFECT_PATHS}, which the TypeScript compiler holds equal to the SDK's {@code Effects}
 * type) turned into wire names.
 */
class EffectNamesTest {
  private static final Path RUNTIME_EFFECTS =
      Path.of("../container-runtime/runtime/src/effects.ts");

  @Test
  void theHostListIsTheRuntimesList() throws Exception {
    String source = Files.readString(RUNTIME_EFFECTS);
    String list =
        source.substring(
            source.indexOf("EFFECT_PATHS = ["),
            source.indexOf("] as const", source.indexOf("EFFECT_PATHS")));
    List<String> wire = new ArrayList<>();
    Matcher m = Pattern.compile("'([A-Za-z.]+)'").matcher(list);
    while (m.find()) {
      StringBuilder name = new StringBuilder();
      for (char c : m.group(1).toCharArray()) {
        if (Character.isUpperCase(c)) {
          name.append('-').append(Character.toLowerCase(c));
        } else {
          name.append(c);
        }
      }
      wire.add(name.toString());
    }
    assertThat(wire).hasSize(44);
    assertThat(Effects.sdkNames()).containsExactlyInAnyOrderElementsOf(wire);
  }
}
