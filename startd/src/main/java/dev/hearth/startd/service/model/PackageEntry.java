package dev.hearth.startd.service.model;

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
    Map<String, CurrentDependency> currentDependencies,
    Map<String, ActionMetadata> actions,
    Map<String, TaskEntry> tasks,
    Map<String, Host> hosts,
    List<String> storeExposedDependents,
    @Nullable String outboundGateway,
    Plugin plugin) {

  public PackageEntry {
    Objects.requireNonNull(stateInfo, "stateInfo");
    Objects.requireNonNull(statusInfo, "statusInfo");
  }

  /** The entry an install or restore begins with: stopped, nothing declared yet. */
  public static PackageEntry beginning(PackageState state) {
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
        Plugin.none());
  }
}
