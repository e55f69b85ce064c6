package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One image of the package (s9pk.md §11.2): its source, the architectures it is built for (a set,
 * written sorted), the architecture to emulate where one is missing, and whether it needs NVIDIA's
 * container runtime.
 */
@JsonPropertyOrder({"source", "arch", "emulateMissingAs", "nvidiaContainer"})
public record ImageConfig(
    ImageSource source,
    List<String> arch,
    @Nullable String emulateMissingAs,
    boolean nvidiaContainer,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
  public ImageConfig {
    Extra.required(source, "images.*.source");
    arch = List.copyOf(new TreeSet<>(Extra.required(arch, "images.*.arch")));
    extra = Extra.copy(extra);
  }

  public ImageConfig withSource(ImageSource replacement) {
    return new ImageConfig(replacement, arch, emulateMissingAs, nvidiaContainer, extra);
  }

  public ImageConfig withArch(List<String> replacement) {
    return new ImageConfig(source, replacement, emulateMissingAs, nvidiaContainer, extra);
  }
}
