package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code {short, long}}: the marketplace's one-line and full descriptions. */
@JsonPropertyOrder({"short", "long"})
public record Description(
    @JsonProperty("short") LocaleString shortText,
    @JsonProperty("long") LocaleString longText,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
  public Description {
    Extra.required(shortText, "description.short");
    Extra.required(longText, "description.long");
    extra = Extra.copy(extra);
  }
}
