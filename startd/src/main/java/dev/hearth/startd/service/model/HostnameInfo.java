package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One address a binding can be reached on (patchdb.md §7.1 HostnameInfo); {@code exposed} is the
 * wire's {@code public}.
 */
public record HostnameInfo(
    boolean ssl,
    @JsonProperty("public") boolean exposed,
    String hostname,
    @Nullable Integer port,
    Metadata metadata) {

  public HostnameInfo {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** Tagged by {@code kind}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Metadata.Ipv4.class, name = "ipv4"),
    @JsonSubTypes.Type(value = Metadata.Ipv6.class, name = "ipv6"),
    @JsonSubTypes.Type(value = Metadata.Mdns.class, name = "mdns"),
    @JsonSubTypes.Type(value = Metadata.PrivateDomain.class, name = "private-domain"),
    @JsonSubTypes.Type(value = Metadata.PublicDomain.class, name = "public-domain"),
    @JsonSubTypes.Type(value = Metadata.Plugin.class, name = "plugin")
  })
  public sealed interface Metadata {
    record Ipv4(String gateway) implements Metadata {}

    record Ipv6(String gateway, long scopeId) implements Metadata {}

    record Mdns(List<String> gateways) implements Metadata {}

    record PrivateDomain(List<String> gateways) implements Metadata {}

    record PublicDomain(String gateway) implements Metadata {}

    /** {@code info} is the plugin's own ("any" in the spec). */
    record Plugin(
        String packageId,
        @Nullable String removeAction,
        List<String> overflowActions,
        @Nullable JsonNode info)
        implements Metadata {}
  }

  /** A plain address on a gateway's IPv4 address. */
  public static HostnameInfo ipv4(String gateway, String address, int port) {
    return new HostnameInfo(false, false, address, port, new Metadata.Ipv4(gateway));
  }
}
