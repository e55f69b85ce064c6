package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A contiguous range of ports forwarded as they are ({@code bindingRanges.<internalStartPort>}),
 * and the one interface it may export; {@code iface} is the wire's {@code interface}.
 */
public record BindingRange(
    int internalStartPort,
    int externalStartPort,
    int numberOfPorts,
    @JsonProperty("interface") @Nullable RangeInterface iface) {

  /** The interface of a range: always an API, no address info beyond the range's ports. */
  public record RangeInterface(
      String id, String name, String description, @Nullable String scheme) {
    public RangeInterface {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
    }
  }

  /** Whether the external ports of the two ranges meet. */
  public boolean overlaps(int otherExternalStart, int otherCount) {
    return otherExternalStart < externalStartPort + numberOfPorts
        && externalStartPort < otherExternalStart + otherCount;
  }

  public BindingRange withInterface(@Nullable RangeInterface next) {
    return new BindingRange(internalStartPort, externalStartPort, numberOfPorts, next);
  }
}
