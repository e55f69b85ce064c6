package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One named health check's last result (lifecycle.md §3.5): a loading or failing check says why.
 */
public record Health(String name, Result result, @Nullable String message) {
  public enum Result {
    @JsonProperty("success")
    SUCCESS,
    @JsonProperty("disabled")
    DISABLED,
    @JsonProperty("starting")
    STARTING,
    @JsonProperty("waiting")
    WAITING,
    @JsonProperty("loading")
    LOADING,
    @JsonProperty("failure")
    FAILURE
  }

  public Health {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(result, "result");
    if (message == null && (result == Result.LOADING || result == Result.FAILURE)) {
      throw new StartException(
          ErrorKind.DESERIALIZATION,
          "a " + result.name().toLowerCase(java.util.Locale.ROOT) + " result needs a message");
    }
  }
}
