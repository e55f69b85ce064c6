package dev.hearth.startd.service.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One package's whole entry in {@code /public/packageData} (patchdb.md §7.1). Written whole only
 * when an install begins; every later change goes to one of its parts through {@link PackagePaths}.
 */
public record PackageEntry(
    PackageState stateInfo,
    @Nullable String s9pk,
    StatusInfo statusInfo,
    @Nullable String registry,
    String developerKey,
    String icon,
    @Nullable String lastBackup,
    Map<String, JsonNode> currentDependencies,
    Map<String, JsonNode> actions,
    Map<String, JsonNode> tasks,
    Map<String, JsonNode> hosts,
    List<String> storeExposedDependents,
    @Nullable String outboundGateway,
    JsonNode plugin) {

  public PackageEntry {
    Objects.requireNonNull(stateInfo, "stateInfo");
    Objects.requireNonNull(statusInfo, "statusInfo");
  }

  /** The entry an install or restore begins with: stopped, nothing declared yet. */
  public static PackageEntry beginning(PackageState state) {
    ObjectNode plugin = JsonNodeFactory.instance.objectNode();
    plugin.putNull("url");
    return new PackageEntry(
        state,
        null,
        StatusInfo.stopped(),
        null,
        "",
        "",
        null,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        List.of(),
        null,
        plugin);
  }
}
