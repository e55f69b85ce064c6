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
 * What the server must have (s9pk.md §11.2). {@code ram} is compared with the server's RAM in
 * bytes, as upstream does; {@code arch}, when set, also decides which image architectures a package
 * must contain.
 */
@JsonPropertyOrder({"device", "ram", "arch"})
public record HardwareRequirements(
    List<DeviceFilter> device,
    @Nullable Long ram,
    @Nullable List<String> arch,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
  public static final HardwareRequirements NONE =
      new HardwareRequirements(List.of(), null, null, Map.of());

  public HardwareRequirements {
    device = device == null ? List.of() : List.copyOf(device);
    arch = arch == null ? null : List.copyOf(new TreeSet<>(arch));
    extra = Extra.copy(extra);
  }

  public HardwareRequirements withArch(@Nullable List<String> replacement) {
    return new HardwareRequirements(device, ram, replacement, extra);
  }
}
