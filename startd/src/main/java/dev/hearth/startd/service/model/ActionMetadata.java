package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An action a package exported ({@code actions.<actionId>}, patchdb.md §7.1). {@code access} is
 * left out of the JSON when the package did not say; it then means {@link Access#USER}.
 */
public record ActionMetadata(
    String name,
    String description,
    @Nullable String warning,
    Visibility visibility,
    AllowedStatuses allowedStatuses,
    boolean hasInput,
    @Nullable String group,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Access access) {

  public ActionMetadata {
    if (name == null) {
      throw new IllegalArgumentException("name is missing");
    }
    if (allowedStatuses == null) {
      throw new IllegalArgumentException("allowedStatuses is missing");
    }
    description = description == null ? "" : description;
    visibility = visibility == null ? new Visibility.Enabled() : visibility;
  }

  /** Who may run it: {@link Access#USER} when the package did not say. */
  public Access effectiveAccess() {
    return access == null ? Access.USER : access;
  }

  public enum AllowedStatuses {
    @JsonProperty("only-running")
    ONLY_RUNNING,
    @JsonProperty("only-stopped")
    ONLY_STOPPED,
    @JsonProperty("any")
    ANY
  }

  /** Who may run the action through {@code action.run} besides the user. */
  public enum Access {
    @JsonProperty("public")
    PUBLIC,
    @JsonProperty("dependent")
    DEPENDENT,
    @JsonProperty("user")
    USER
  }

  /** {@code "enabled" | "hidden" | {disabled: reason}}. */
  @JsonSerialize(using = VisibilityJson.Writer.class)
  @JsonDeserialize(using = VisibilityJson.Reader.class)
  public sealed interface Visibility {
    record Enabled() implements Visibility {}

    record Hidden() implements Visibility {}

    record Disabled(String reason) implements Visibility {
      public Disabled {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /** The wire form of {@link Visibility}, which is a string or an object. */
  static final class VisibilityJson {
    private VisibilityJson() {}

    static final class Writer extends StdSerializer<Visibility> {
      Writer() {
        super(Visibility.class);
      }

      @Override
      public void serialize(Visibility v, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        switch (v) {
          case Visibility.Enabled _ -> gen.writeString("enabled");
          case Visibility.Hidden _ -> gen.writeString("hidden");
          case Visibility.Disabled d -> {
            gen.writeStartObject();
            gen.writeStringField("disabled", d.reason());
            gen.writeEndObject();
          }
        }
      }
    }

    static final class Reader extends StdDeserializer<Visibility> {
      Reader() {
        super(Visibility.class);
      }

      @Override
      public Visibility deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode n = p.readValueAsTree();
        if (n.isTextual() && n.asText().equals("enabled")) {
          return new Visibility.Enabled();
        }
        if (n.isTextual() && n.asText().equals("hidden")) {
          return new Visibility.Hidden();
        }
        if (n.isObject() && n.path("disabled").isTextual()) {
          return new Visibility.Disabled(n.get("disabled").asText());
        }
        return (Visibility)
            ctxt.handleWeirdStringValue(
                Visibility.class,
                String.valueOf(n),
                "visibility must be \"enabled\", \"hidden\" or {\"disabled\": reason}");
      }
    }
  }
}
