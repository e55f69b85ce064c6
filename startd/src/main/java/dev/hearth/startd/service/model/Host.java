package dev.hearth.startd.service.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One of a package's hosts ({@code hosts.<hostId>}, patchdb.md §7.1): its single-port bindings by
 * internal port, its port ranges by internal start port, and its domains and computed port
 * forwards.
 */
public record Host(
    Map<Integer, BindInfo> bindings,
    Map<Integer, BindingRange> bindingRanges,
    Map<String, PublicDomain> publicDomains,
    Map<String, List<String>> privateDomains,
    List<PortForward> portForwards) {

  /** {@code publicDomains.<fqdn>}: the gateway it is reached through, and its ACME provider. */
  public record PublicDomain(String gateway, @Nullable String acme) {
    public PublicDomain {
      Objects.requireNonNull(gateway, "gateway");
    }
  }

  /** A forward a gateway needs for a public address (computed). */
  public record PortForward(String src, String dst, String gateway, int count) {}

  public Host {
    bindings = copy(bindings);
    bindingRanges = copy(bindingRanges);
    publicDomains = copy(publicDomains);
    privateDomains = copy(privateDomains);
    portForwards = portForwards == null ? List.of() : List.copyOf(portForwards);
  }

  static <K, V> Map<K, V> copy(@Nullable Map<K, V> m) {
    return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  public static Host empty() {
    return new Host(Map.of(), Map.of(), Map.of(), Map.of(), List.of());
  }

  public Host withBinding(int internalPort, BindInfo binding) {
    var next = new LinkedHashMap<>(bindings);
    next.put(internalPort, binding);
    return new Host(next, bindingRanges, publicDomains, privateDomains, portForwards);
  }

  public Host withBindings(Map<Integer, BindInfo> next) {
    return new Host(next, bindingRanges, publicDomains, privateDomains, portForwards);
  }

  public Host withRange(int internalStartPort, BindingRange range) {
    var next = new LinkedHashMap<>(bindingRanges);
    next.put(internalStartPort, range);
    return new Host(bindings, next, publicDomains, privateDomains, portForwards);
  }

  public Host withRanges(Map<Integer, BindingRange> next) {
    return new Host(bindings, next, publicDomains, privateDomains, portForwards);
  }

  /** Every binding passed through {@code change}. */
  public Host mapBindings(UnaryOperator<BindInfo> change) {
    var next = new LinkedHashMap<Integer, BindInfo>();
    bindings.forEach((port, b) -> next.put(port, change.apply(b)));
    return withBindings(next);
  }

  /** Every range passed through {@code change}. */
  public Host mapRanges(UnaryOperator<BindingRange> change) {
    var next = new LinkedHashMap<Integer, BindingRange>();
    bindingRanges.forEach((port, r) -> next.put(port, change.apply(r)));
    return withRanges(next);
  }
}
