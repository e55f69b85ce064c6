package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A device the server must have, matched against {@code lshw} (s9pk.md §11.2). */
@JsonPropertyOrder({"description", "class", "product", "vendor", "capabilities", "driver"})
public record DeviceFilter(
    String description,
    @JsonProperty("class") String deviceClass,
    @Nullable String product,
    @Nullable String vendor,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> capabilities,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String driver,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
  public DeviceFilter {
    Extra.required(description, "hardwareRequirements.device.*.description");
    Extra.required(deviceClass, "hardwareRequirements.device.*.class");
    capabilities = capabilities == null ? null : List.copyOf(capabilities);
    extra = Extra.copy(extra);
  }
}
